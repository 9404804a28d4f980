import pytest
from upskill.training import services
from upskill.core.scoping import SYSTEM
pytestmark = pytest.mark.django_db
def test_dbg(make_class):
    c = make_class(lessons=())
    good = "2023-05-08\t08:30\t11:45\t4\t理论\t刀工基础\t周老师\n2023/5/9\t8:30\t17:30\t\t实操\t热菜\t\n"
    bad = good + "2023-05-30\t08:30\t09:00\t4\t手工\t超出\t\n"
    try:
        services.lessons_paste(actor=SYSTEM, training_class=c, text=bad)
    except Exception as e:
        print("EXC", type(e), e, getattr(e, "errors", None))
    print("COUNT", c.lessons.count())
