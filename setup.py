"""The one thing setup.cfg cannot say: the top-level sql/ folder is the package data of
`licensed.sql`, so the wheel installs it as licensed/sql/ (licensed/queries.py finds it there,
and in sql/ when run from the tree). Everything else is in setup.cfg."""

from setuptools import find_namespace_packages, setup

PACKAGES = find_namespace_packages(include=["datatools", "datatools.*", "dtadmin", "licensed",
                                            "licensed.*"])

setup(packages=[*PACKAGES, "licensed.sql"], package_dir={"licensed.sql": "sql"})
