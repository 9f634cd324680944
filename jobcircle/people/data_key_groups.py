"""The key groups (重点群体) every county starts with; more can be added in the admin."""

KEY_GROUPS = [
    ("poverty_alleviated", "脱贫人口", "脱贫户家庭劳动力"),
    ("monitored", "监测对象", "防止返贫监测对象"),
    ("graduate", "高校毕业生", "离校未就业高校毕业生等"),
    ("veteran", "退役军人", ""),
    ("migrant_worker", "农民工", "外出或本地务工的农村劳动力"),
    ("employment_difficulty", "就业困难人员", "经认定的就业困难人员"),
    ("unemployed", "失业人员", "登记失业人员"),
    ("retired_fisher", "退捕渔民", "长江禁捕退捕渔民"),
    ("disabled", "残疾人", "持残疾人证的劳动者"),
]
