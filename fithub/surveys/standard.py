# ruff: noqa: RUF001 (the Urdu full stop is the right punctuation in Urdu text)
"""The standard FIT post-training survey, asked unless a programme publishes its own.

The exact wording of the ILO's survey is not published; these questions follow the four of
results-chain step 3 (did participants enjoy the session, find it useful, learn new skills,
identify key improvements for the factory), plus an optional "which improvement?" and comment.
Sex and role are asked separately, on the response itself, for disaggregation.
"""

TITLE = "FIT post-training survey"

# (code, kind, text per language, required)
QUESTIONS: list[tuple[str, str, dict[str, str], bool]] = [
    (
        "enjoyed",
        "agree",
        {
            "en": "I enjoyed the session.",
            "bn": "সেশনটি আমার ভালো লেগেছে।",
            "ur": "مجھے یہ سیشن اچھا لگا۔",
        },
        True,
    ),
    (
        "useful",
        "agree",
        {
            "en": "The session was useful for my work.",
            "bn": "সেশনটি আমার কাজের জন্য উপকারী ছিল।",
            "ur": "یہ سیشن میرے کام کے لیے مفید تھا۔",
        },
        True,
    ),
    (
        "learnt",
        "yes_no",
        {
            "en": "I learnt new skills.",
            "bn": "আমি নতুন দক্ষতা শিখেছি।",
            "ur": "میں نے نئی مہارتیں سیکھیں۔",
        },
        True,
    ),
    (
        "improvements",
        "yes_no",
        {
            "en": "My group identified key improvements for the factory.",
            "bn": "আমার দল কারখানার জন্য গুরুত্বপূর্ণ উন্নতিগুলো চিহ্নিত করেছে।",
            "ur": "میرے گروپ نے فیکٹری کے لیے اہم بہتریوں کی نشاندہی کی۔",
        },
        True,
    ),
    (
        "which_improvement",
        "text",
        {
            "en": "Which improvement? (optional)",
            "bn": "কোন উন্নতি? (ঐচ্ছিক)",
            "ur": "کون سی بہتری؟ (اختیاری)",
        },
        False,
    ),
    (
        "comment",
        "text",
        {
            "en": "Any other comment (optional)",
            "bn": "অন্য কোনো মন্তব্য (ঐচ্ছিক)",
            "ur": "کوئی اور رائے (اختیاری)",
        },
        False,
    ),
]
