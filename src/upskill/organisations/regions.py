"""Reference divisions shipped with the product: Hubei, the two cities of the seed documents and
their counties/districts (GB/T 2260), and Gong'an's townships (GA23). Township codes follow the
statistical pattern (county code + 3 digits) in the order the county lists them; a deployment
replaces them with the official 统计用区划代码 in the admin."""

HUBEI = ("420000", "湖北省")
CITIES = {
    "420100": (
        "武汉市",
        [
            ("420102", "江岸区"),
            ("420103", "江汉区"),
            ("420104", "硚口区"),
            ("420105", "汉阳区"),
            ("420106", "武昌区"),
            ("420107", "青山区"),
            ("420111", "洪山区"),
            ("420112", "东西湖区"),
            ("420113", "汉南区"),
            ("420114", "蔡甸区"),
            ("420115", "江夏区"),
            ("420116", "黄陂区"),
            ("420117", "新洲区"),
        ],
    ),
    "421000": (
        "荆州市",
        [
            ("421002", "沙市区"),
            ("421003", "荆州区"),
            ("421022", "公安县"),
            ("421024", "江陵县"),
            ("421081", "石首市"),
            ("421083", "洪湖市"),
            ("421087", "松滋市"),
            ("421088", "监利市"),
        ],
    ),
}
GONGAN_TOWNSHIPS = [
    "斗湖堤镇",
    "埠河镇",
    "夹竹园镇",
    "闸口镇",
    "杨家厂镇",
    "麻豪口镇",
    "藕池镇",
    "黄山头镇",
    "章庄铺镇",
    "狮子口镇",
    "斑竹垱镇",
    "毛家港镇",
    "南平镇",
    "章田寺乡",
]


def township_codes(county: str, names: list[str]) -> list[tuple[str, str]]:
    """镇 numbered from 101, 乡 from 201, as the statistical codes number them."""
    counters = {"town": 100, "xiang": 200}
    codes = []
    for name in names:
        kind = "xiang" if name.endswith("乡") else "town"
        counters[kind] += 1
        codes.append((f"{county}{counters[kind]:03d}", name))
    return codes


def ensure_regions(Region) -> None:
    """Create the shipped divisions that are missing (takes the model, for migrations). One
    read and one insert a level: it runs after every flush of a transactional test."""
    have = dict(Region.objects.values_list("code", "pk"))

    def level(rows: list[tuple[str, str, str | None]], kind: str) -> None:
        missing = [
            Region(code=code, name=name, level=kind, parent_id=have.get(parent) if parent else None)
            for code, name, parent in rows
            if code not in have
        ]
        Region.objects.bulk_create(missing)
        have.update(Region.objects.values_list("code", "pk"))

    level([(HUBEI[0], HUBEI[1], None)], "province")
    level([(code, name, HUBEI[0]) for code, (name, _counties) in CITIES.items()], "city")
    level(
        [
            (code, name, city_code)
            for city_code, (_name, counties) in CITIES.items()
            for code, name in counties
        ],
        "county",
    )
    level(
        [(code, name, "421022") for code, name in township_codes("421022", GONGAN_TOWNSHIPS)],
        "township",
    )
