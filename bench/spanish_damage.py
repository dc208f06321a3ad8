"""Which rows of a duplicate group in the Spanish trial's customer list are damaged copies.

tests/data/spanish_customers/clientes.csv (trial F, DECISIONS 495) came without its truth. Its
generator drew real Spanish given names and surnames (two surnames each), full street types
(`Calle`, `Avenida`, `Plaza`, `Paseo`) and title case, then damaged copies: a typo in a name, a
second surname or a flat left out, accents dropped, upper case, given name and surname swapped,
the street type abbreviated, cells emptied. A row is damaged when one of those marks stands on
it, read against the other rows of its group and two name lists written here from the Spanish
statistics office's most frequent names (not from the file); the others are clean originals.
Phones and e-mails are not judged (no form of them is the original).
"""

from __future__ import annotations

import re
import unicodedata

SURNAMES = """García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Martín Jiménez
Ruiz Hernández Díaz Moreno Muñoz Álvarez Romero Alonso Gutiérrez Navarro Torres Domínguez Vázquez
Ramos Gil Ramírez Serrano Blanco Molina Morales Suárez Ortega Delgado Castro Ortiz Rubio Marín Sanz
Núñez Iglesias Medina Garrido Cortés Castillo Santos Lozano Guerrero Cano Prieto Méndez Cruz Calvo
Gallego Herrera Márquez León Peña Flores Cabrera Campos Vega Fuentes Carrasco Díez Caballero Reyes
Nieto Aguilar Pascual Santana Herrero Montero Lorenzo Hidalgo Giménez Ibáñez Ferrer Durán Santiago
Benítez Vargas Mora Vicente Arias Carmona Crespo Román Pastor Soto Sáez Velasco Moya Soler Parra
Esteban Bravo Gallardo Rojas Puig Vidal Boix Climent Llorens Roig Martí Sala Pons Ros Mas Bosch"""
GIVEN = """Antonio José Manuel Francisco David Juan Javier Daniel Carlos Jesús Alejandro Miguel Rafael
Pedro Pablo Ángel Sergio Fernando Jorge Luis Alberto Álvaro Adrián Diego Raúl Enrique Ramón Vicente
Iván Rubén Óscar Andrés Joaquín Santiago Eduardo Víctor Roberto Jaime Mario Ignacio Alfonso Salvador
Ricardo Marcos Jordi Emilio Julián Julio Guillermo Gabriel Tomás Agustín Marc Gonzalo Félix Hugo
Lucas Martín Nicolás Mateo Josep Xavier Pau Vicent Joan María Carmen Josefa Isabel Ana Dolores
Pilar Teresa Rosa Cristina Ángela Antonia Lucía Laura Marta Francisca Mercedes Elena Manuela
Raquel Sara Concepción Rosario Paula Beatriz Silvia Juana Patricia Encarnación Nuria Julia
Montserrat Irene Rocío Mónica Alba Andrea Inmaculada Sonia Sandra Marina Esther Natalia Eva Amparo
Claudia Yolanda Noelia Carolina Sofía Inés Victoria Lorena Susana Alicia Gloria Consuelo Catalina
Nerea Miriam Emilia Luisa Ainhoa Adriana Clara Lidia Verónica Fátima Eugenia Aurora Milagros
Paloma Margarita Martina Valeria Daniela Vicenta"""
# Street types written short (the originals spell them out).
SHORT_STREETS = {"C/", "c/", "C.", "Avda", "Avda.", "Av.", "Pza.", "Pl.", "Pso.", "Pº", "P.º"}
NAME, SURNAME, STREET = 0, 1, 2


def fold(text: str) -> str:
    """Lower case without accents."""
    return "".join(c for c in unicodedata.normalize("NFD", text.lower())
                   if unicodedata.category(c) != "Mn")


KNOWN_SURNAMES = frozenset(fold(word) for word in SURNAMES.split())
KNOWN_GIVEN = frozenset(fold(word) for word in GIVEN.split())


def _keying_errors(a: str, b: str) -> int:
    """Damerau's optimal string alignment distance."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1,
                         rows[-1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def _swapped(row: list[str]) -> bool:
    first = fold(row[NAME]).split()[:1]
    return bool(first) and first[0] in KNOWN_SURNAMES and first[0] not in KNOWN_GIVEN


def _names(row: list[str]) -> list[str]:
    return row[NAME].split() + row[SURNAME].split()


def damaged(row: list[str], others: list[list[str]]) -> bool:
    """Does `row` (the file's cells) carry a copy's damage, read against `others` (the rest
    of its group)? Module docstring."""
    if _swapped(row) or any(len(word) > 1 and word.isupper()      # upper case (not `Jaume I`)
                            for cell in row[:STREET + 1] for word in re.findall(r"[^\W\d_]+", cell)):
        return True
    if row[STREET].split()[:1] and row[STREET].split()[0] in SHORT_STREETS:
        return True
    words = _names(row)
    for other in others:
        if any(not mine and theirs for mine, theirs in zip(row, other)):
            return True                                    # a cell emptied
        if not _swapped(other) and len(row[SURNAME].split()) < len(other[SURNAME].split()):
            return True                                    # a second surname left out
        if len(row[STREET].split(",")) < len(other[STREET].split(",")):
            return True                                    # a flat left out
        theirs = _names(other)
        for mine in words:
            for word in theirs:
                if fold(mine) == fold(word) and mine.lower() != word.lower() and not mine.isupper():
                    if fold(mine) == mine.lower():
                        return True                        # accents dropped
                known = KNOWN_SURNAMES | KNOWN_GIVEN
                if (fold(mine) not in known and fold(word) in known
                        and _keying_errors(fold(mine), fold(word)) <= 2):
                    return True                            # a typo
    return False
