"""Person categories shipped as defaults (GA23-OBJ-1/2, WH20-OBJ-1, HB61-MIG-1). The provincial
"nine categories" (鄂人社发〔2018〕64号) are not in the seed documents, so the list is data an
administrator completes; `policy_code` links a category to the policy engine's vocabulary."""

DEFAULT_CATEGORIES = [
    # code, name, English name, policy engine code, reference
    (
        "poverty_alleviated",
        "脱贫人员",
        "Poverty-alleviated person",
        "poverty_alleviated",
        "GA23-OBJ-2 公人社发〔2023〕5号 三(一)2",
    ),
    (
        "monitored_household",
        "监测户",
        "Monitored household",
        "monitored_household",
        "GA23-OBJ-2 公人社发〔2023〕5号 三(一)2",
    ),
    (
        "two_after_graduate",
        "贫困家庭“两后生”",
        "Two-after graduate of a poor family",
        "two_after_graduate",
        "GA23-OBJ-2 公人社发〔2023〕5号 三(一)2",
    ),
    (
        "employment_difficulty",
        "就业困难人员",
        "Person with employment difficulty",
        "employment_difficulty",
        "GA23-LIV-1 公人社发〔2023〕5号 三(六)",
    ),
    (
        "retired_fisher",
        "退捕渔民",
        "Fisher retired from fishing",
        "retired_fisher",
        "GA23-OBJ-1 公人社发〔2023〕5号 三(一)1",
    ),
    ("migrant_worker", "农民工", "Migrant worker", "migrant_worker", "GA23-OBJ-1; HB61-MIG-1"),
    (
        "registered_unemployed",
        "登记失业人员",
        "Registered unemployed",
        "registered_unemployed",
        "GA23-OBJ-1 (鄂人社发〔2018〕64号)",
    ),
    (
        "zero_employment_family",
        "零就业家庭成员",
        "Member of a zero-employment family",
        "zero_employment_family",
        "GA23-OBJ-1 (鄂人社发〔2018〕64号)",
    ),
    ("graduate", "高校毕业生", "College graduate", "graduate", "GA23-OBJ-1 (鄂人社发〔2018〕64号)"),
    (
        "rural_entrepreneur",
        "农村创新创业带头人",
        "Rural entrepreneurship leader",
        "",
        "GA23-OBJ-1 公人社发〔2023〕5号 三(一)1",
    ),
    (
        "rural_wealth_leader",
        "农村致富带头人",
        "Rural wealth leader",
        "",
        "GA23-OBJ-1 公人社发〔2023〕5号 三(一)1",
    ),
]


def ensure_categories(Category) -> None:
    """The shipped categories that are missing (takes the model, for migrations); one read and
    one insert, since it also runs after every flush of a transactional test."""
    have = set(Category.objects.values_list("code", flat=True))
    Category.objects.bulk_create(
        [
            Category(
                code=code,
                name=name,
                name_en=name_en,
                policy_code=policy_code,
                reference=reference,
            )
            for code, name, name_en, policy_code, reference in DEFAULT_CATEGORIES
            if code not in have
        ]
    )
