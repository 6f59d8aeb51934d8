"""StreamField blocks, defined once with editor metadata (bakerydemo's base/blocks.py)."""

from __future__ import annotations

from wagtail import blocks

from courses.refunds import STANDARD_TIERS

RICH_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class ObjectivesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(default="Learning objectives")
    items = blocks.ListBlock(blocks.CharBlock(label="Objective"))

    class Meta:
        icon = "list-ul"
        template = "blocks/objectives_block.html"
        description = "What a learner can do after the course, one objective per line."
        preview_value = {
            "heading": "Learning objectives",
            "items": ["Identify contraindications to dry needling", "Palpate trigger points"],
        }


class SyllabusDayBlock(blocks.StructBlock):
    title = blocks.CharBlock(help_text="e.g. Day 1: Anatomy and safety")
    topics = blocks.ListBlock(blocks.CharBlock(label="Topic"))

    class Meta:
        icon = "date"
        template = "blocks/syllabus_day_block.html"
        description = "One course day and the topics it covers."
        preview_value = {"title": "Day 1: Anatomy and safety", "topics": ["Needle safety"]}


class TextSectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock()
    body = blocks.RichTextBlock(features=RICH_FEATURES)

    class Meta:
        icon = "doc-full"
        template = "blocks/text_section_block.html"
        description = "A heading and text, e.g. “Who may enroll” or “What to bring”."
        preview_value = {"heading": "What to bring", "body": "<p>Comfortable clothing.</p>"}


class FaqBlock(blocks.StructBlock):
    heading = blocks.CharBlock(default="Frequently asked questions")
    questions = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("question", blocks.CharBlock()),
                ("answer", blocks.RichTextBlock(features=RICH_FEATURES)),
            ]
        )
    )

    class Meta:
        icon = "help"
        template = "blocks/faq_block.html"
        description = "Questions and answers."
        preview_value = {
            "heading": "Frequently asked questions",
            "questions": [{"question": "Is lunch provided?", "answer": "<p>No.</p>"}],
        }


class RefundPolicyBlock(blocks.StaticBlock):
    """Renders the standard refund tiers new offerings start with, so the policy page and
    the offerings never disagree."""

    class Meta:
        icon = "tasks"
        template = "blocks/refund_policy_block.html"
        admin_text = "The standard refund tiers, as offerings use them."
        description = "The standard refund tiers table."

    def get_context(self, value: object, parent_context: dict | None = None) -> dict:
        return {**super().get_context(value, parent_context), "tiers": STANDARD_TIERS}


class CoursePageStreamBlock(blocks.StreamBlock):
    objectives = ObjectivesBlock()
    syllabus_day = SyllabusDayBlock()
    section = TextSectionBlock()
    faq = FaqBlock()


class StandardPageStreamBlock(blocks.StreamBlock):
    section = TextSectionBlock()
    paragraph = blocks.RichTextBlock(
        features=RICH_FEATURES, icon="pilcrow", template="blocks/paragraph_block.html"
    )
    faq = FaqBlock()
    refund_policy = RefundPolicyBlock()
