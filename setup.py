"""The one thing setup.cfg cannot say: the top-level sql/ folder is the package `licensed.sql`
(each folder inside it a package too, whose .sql files setup.cfg names as package data), so the
wheel installs it as licensed/sql/ (licensed/queries.py finds it there, and in sql/ when run
from the tree). Everything else is in setup.cfg."""

from setuptools import find_namespace_packages, setup

PACKAGES = find_namespace_packages(include=["datatools", "datatools.*", "dtadmin", "licensed",
                                            "licensed.*"])

SQL_PACKAGES = ["licensed.sql", *(f"licensed.sql.{name}" for name in find_namespace_packages(where="sql"))]

setup(packages=[*PACKAGES, *SQL_PACKAGES], package_dir={"licensed.sql": "sql"})
