"""Demo content for `seed_demo`: the home page text, the course pages with our own course
descriptions, and the About and Policies pages. Pages that exist are left as they are."""

from __future__ import annotations

from typing import Any

from courses.models import Course

from .models import CourseIndexPage, CoursePage, HomePage, StandardPage
from .page_tree import page_child_ensure
from .state_guides import state_guides_ensure

DEMO_HOME_INTRO = (
    "<p>Hands-on, post-graduate dry needling education for physical therapists and other "
    "licensed clinicians. Take DN-1 and DN-2 (27 contact hours each), keep every training "
    "hour in one record a state board can read, check whether your state's requirements "
    "are met, and earn the <b>Certification in Dry Needling</b>.</p>"
)

WHO_MAY_ENROLL = (
    "<p>Licensed physical therapists, physical therapist assistants, athletic trainers, "
    "chiropractors, physicians (MD/DO), dentists, nurse practitioners, physician assistants, "
    "occupational therapists and licensed acupuncturists, and final-year DPT, DC and MD "
    "students. Whether you may needle after the course depends on your state: check its "
    "rules before you practise.</p>"
)
WHAT_TO_BRING = (
    "<ul><li>Clothing that lets you expose the shoulders, back, hips and legs for "
    "palpation practice</li><li>Your license number, for the course record</li>"
    "<li>Proof of hepatitis B vaccination or a signed declination</li></ul>"
    "<p>Needles, gloves, sharps containers and clean-field supplies are provided.</p>"
)
FAQ = [
    ("Can I take DN-2 before DN-1?",
     "<p>Yes. DN-1 and DN-2 may be taken in either order; the certification needs both.</p>"),
    ("How many hours count toward my state's requirement?",
     "<p>Each course is 27 contact hours, all in person. Your hours are recorded by the "
     "instructors each day and appear on your transcript.</p>"),
    ("What if I miss part of a day?",
     "<p>Instructors record partial attendance in quarter hours; you can make up missed "
     "hours at a later offering of the same course.</p>"),
]  # fmt: skip
COURSE_DAYS = {
    "DN-1": [
        ("Day 1: Anatomy and safety",
         ["Mechanisms and evidence for dry needling", "Clean-needle technique and sharps handling",
          "Lumbar and pelvic anatomy: layers, depths and structures to avoid"]),
        ("Day 2: Trigger-point palpation and needling technique",
         ["Flat and pincer palpation of trigger points", "Needle handling, insertion and "
          "pistoning", "Gluteal, piriformis and hip muscles"]),
        ("Day 3: The lower limb, contraindications and documentation",
         ["Thigh, leg and foot muscles by region", "Contraindications and precautions",
          "Documentation and informed consent", "Practical examination"]),
    ],
    "DN-2": [
        ("Day 1: Anatomy and safety of the upper quarter",
         ["Cervical and thoracic anatomy: the pleura and neurovascular structures",
          "Positioning and needle angles near the lungs", "Adverse events and their management"]),
        ("Day 2: Needling technique by region",
         ["Cervical and upper trapezius", "Shoulder girdle and rotator cuff",
          "Arm, forearm and hand"]),
        ("Day 3: Clinical integration",
         ["Contraindications and precautions revisited", "Clinical reasoning and treatment "
          "dosage", "Documentation and informed consent", "Practical examination"]),
    ],
}  # fmt: skip
OBJECTIVES = {
    "DN-1": [
        "Screen patients for contraindications and precautions before needling",
        "Palpate and identify trigger points in the lower quarter",
        "Needle lumbar, hip and lower-limb muscles safely, with correct depth and angle",
        "Document treatment and obtain informed consent",
    ],
    "DN-2": [
        "Needle cervical, thoracic, shoulder and upper-limb muscles safely",
        "Protect the pleura and neurovascular structures of the upper quarter",
        "Integrate dry needling into a plan of care and choose a dosage",
        "Recognise and manage adverse events",
    ],
}
POLICIES_TEXT = (
    "<p>You may cancel from “My courses”. The refund depends on how long before the first "
    "course day you cancel; each offering's page shows its policy. A cancelled offering is "
    "refunded in full.</p>"
)
ABOUT_TEXT = (
    "<p>We teach dry needling to licensed clinicians in small, hands-on classes with a "
    "low student-to-instructor ratio. Our records of your training hours follow the rules "
    "each state board sets, so you can show exactly what you have completed.</p>"
)


def demo_pages_seed() -> HomePage:
    home = HomePage.objects.get()
    if home.intro != DEMO_HOME_INTRO:
        home.intro = DEMO_HOME_INTRO
        home.save_revision().publish()
    index = page_child_ensure(home, CourseIndexPage, "courses", title="Courses", show_in_menus=True,
                   intro="<p>Two three-day courses; take them in either order.</p>")  # fmt: skip
    for course in Course.objects.filter(code__in=OBJECTIVES):
        if not CoursePage.objects.filter(course=course).exists():
            page_child_ensure(
                index, CoursePage, course.code.lower(), title=course.title, course=course,
                search_description=course.summary, body=_course_body(course.code),
            )  # fmt: skip
    page_child_ensure(home, StandardPage, "about", title="About us", show_in_menus=True,
           body=[("paragraph", ABOUT_TEXT)])  # fmt: skip
    page_child_ensure(home, StandardPage, "policies", title="Policies", show_in_menus=True,
           body=[("section", {"heading": "Cancellations and refunds", "body": POLICIES_TEXT}),
                 ("refund_policy", None)])  # fmt: skip
    state_guides_ensure()
    return home


def _course_body(code: str) -> list[tuple[str, Any]]:
    return [
        ("objectives", {"heading": "Learning objectives", "items": OBJECTIVES[code]}),
        *[("syllabus_day", {"title": t, "topics": topics}) for t, topics in COURSE_DAYS[code]],
        ("section", {"heading": "Who may enroll", "body": WHO_MAY_ENROLL}),
        ("section", {"heading": "What to bring", "body": WHAT_TO_BRING}),
        ("faq", {"heading": "Frequently asked questions",
                 "questions": [{"question": q, "answer": a} for q, a in FAQ]}),
    ]  # fmt: skip
