"""The demo corporation's stock: units on invented streets, with Dutch addresses and postcodes."""

import random

from regie.accounts.models import Area
from regie.core.demo.names import CITY, DISTRICTS, VILLAGE, VILLAGE_DISTRICTS
from regie.housing.models import Unit

# Postcode letters skip the combinations PostNL never issues (SA, SD, SS) by leaving S out.
_FIRST = "ABCEGHJKLMNPRTVWXZ"
_SECOND = "ABCDEGHJKLMNPRTVWXZ"


def _addresses(rng: random.Random, count: int) -> list[tuple[int, str]]:
    """House numbers along one street: mostly plain, some buildings with A/B, floors (-2) or bis."""
    out: list[tuple[int, str]] = []
    number = rng.randint(1, 9)
    while len(out) < count:
        kind = rng.random()
        if kind < 0.72:
            out.append((number, ""))
        elif kind < 0.84:
            out += [(number, letter) for letter in "ABCD"[: rng.randint(2, 4)]]
        elif kind < 0.95:
            out += [(number, "")] + [(number, f"-{floor}") for floor in range(2, rng.randint(3, 5))]
        else:
            out += [(number, ""), (number, "bis")]
        number += rng.choice((1, 2, 2, 2))
    return out[:count]


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """Share `total` units over `parts` streets, unevenly, every street at least one."""
    weights = [rng.uniform(0.5, 2.0) for _ in range(parts)]
    scale = sum(weights)
    counts = [max(1, int(total * w / scale)) for w in weights]
    i = 0
    while sum(counts) < total:
        counts[i % parts] += 1
        i += 1
    while sum(counts) > total:
        j = max(range(parts), key=lambda k: counts[k])
        counts[j] -= 1
    return counts


def build_units(rng: random.Random, total: int, areas: dict[str, Area]) -> list[Unit]:
    """`total` unsaved units, half in each area, numbered VHE010001 onwards street by street."""
    units: list[Unit] = []
    per_area = {"noord": total - total // 2, "zuid": total // 2}
    for code, districts in DISTRICTS.items():
        streets = [
            (district, digits, street, index)
            for district, digits, names in districts
            for index, street in enumerate(names)
        ]
        for (district, digits, street, index), count in zip(
            streets, _split(rng, per_area[code], len(streets)), strict=True
        ):
            city = VILLAGE if district in VILLAGE_DISTRICTS else CITY
            for number, suffix in _addresses(rng, count):
                letters = _FIRST[(index * 3) % len(_FIRST)] + _SECOND[(number // 14) % len(_SECOND)]
                units.append(
                    Unit(
                        unit_id=f"VHE{10001 + len(units):06d}",
                        street=street,
                        house_number=number,
                        house_number_suffix=suffix,
                        postcode=f"{digits} {letters}",
                        city=city,
                        district=district,
                        area=areas[code],
                    )
                )
    return units
