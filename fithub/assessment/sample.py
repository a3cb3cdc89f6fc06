# Urdu sentences end with the Urdu full stop (U+06D4): the right character, not a look-alike.
# ruff: noqa: RUF001
"""A sample needs-assessment questionnaire for demonstrations, labelled as a sample.

The ILO's own statements and their module mapping were not published; these are written for
the demo in the FIT style (yes/no statements about a garment factory's practice), and each "no"
points to modules of the sample catalogue (fithub/catalogue/sample.py) with a weight.
"""

from dataclasses import dataclass

OWNER = "ILO FIT pilots (demo)"
SLUG = "fit-needs-assessment-sample"
TITLE = {
    "en": "FIT needs assessment (sample)",
    "bn": "FIT চাহিদা মূল্যায়ন (নমুনা)",
    "ur": "FIT ضروریات کا جائزہ (نمونہ)",
}
NOTES = (
    "Sample questionnaire for demonstrations, written for FIT Hub; "
    "the real questionnaire is imported by its owner."
)


@dataclass(frozen=True)
class SampleStatement:
    code: str
    text: dict[str, str]
    links: tuple[tuple[str, int], ...]  # (module code, weight)


@dataclass(frozen=True)
class SampleSection:
    code: str
    department: str
    title: dict[str, str]
    statements: tuple[SampleStatement, ...]


def _t(en: str, bn: str, ur: str) -> dict[str, str]:
    return {"en": en, "bn": bn, "ur": ur}


def _s(code: str, text: tuple[str, str, str], *links: tuple[str, int]) -> SampleStatement:
    return SampleStatement(code, _t(*text), links)


SECTIONS = (
    SampleSection(
        "storeroom",
        "storeroom",
        _t("Storeroom", "স্টোররুম (গুদাম)", "اسٹور روم (گودام)"),
        (
            _s(
                "STO-01",
                (
                    "Fabric and trims in the storeroom are labelled with style, colour and "
                    "date of arrival.",
                    "স্টোররুমে কাপড় ও ট্রিমসে স্টাইল, রং ও আসার তারিখসহ লেবেল লাগানো থাকে।",
                    "اسٹور روم میں کپڑے اور ٹرمز پر اسٹائل، رنگ اور آمد کی تاریخ کا لیبل لگا "
                    "ہوتا ہے۔",
                ),
                ("P-01", 3),
            ),
            _s(
                "STO-02",
                (
                    "Any material can be found in the storeroom within five minutes.",
                    "স্টোররুমে যেকোনো মালামাল পাঁচ মিনিটের মধ্যে খুঁজে পাওয়া যায়।",
                    "اسٹور روم میں کوئی بھی سامان پانچ منٹ کے اندر مل جاتا ہے۔",
                ),
                ("P-01", 3),
            ),
            _s(
                "STO-03",
                (
                    "Materials that arrived first are issued first (first in, first out).",
                    "যে মালামাল আগে এসেছে, তা আগে সরবরাহ করা হয় (ফার্স্ট-ইন, ফার্স্ট-আউট)।",
                    "جو سامان پہلے آتا ہے وہی پہلے جاری کیا جاتا ہے (فرسٹ اِن، فرسٹ آؤٹ)۔",
                ),
                ("P-01", 2),
            ),
            _s(
                "STO-04",
                (
                    "When checked, the stock records match what is on the shelves.",
                    "যাচাই করলে স্টকের হিসাব তাকের মালামালের সঙ্গে মিলে যায়।",
                    "جانچ کرنے پر اسٹاک کا ریکارڈ شیلفوں پر موجود سامان سے مطابقت رکھتا ہے۔",
                ),
                ("P-01", 2),
                ("S-07", 1),
            ),
            _s(
                "STO-05",
                (
                    "Aisles and exits in the storeroom are always kept clear.",
                    "স্টোররুমের চলাচলের পথ ও বের হওয়ার পথ সবসময় খালি রাখা হয়।",
                    "اسٹور روم کے راستے اور باہر نکلنے کے دروازے ہمیشہ خالی رکھے جاتے ہیں۔",
                ),
                ("W-05", 2),
                ("P-01", 1),
            ),
        ),
    ),
    SampleSection(
        "cutting",
        "cutting",
        _t("Cutting room", "কাটিং বিভাগ", "کٹنگ سیکشن"),
        (
            _s(
                "CUT-01",
                (
                    "Markers are planned to keep fabric waste low, and the waste is measured.",
                    "কাপড়ের অপচয় কম রাখতে মার্কার পরিকল্পনা করা হয় এবং অপচয় মাপা হয়।",
                    "کپڑے کا ضیاع کم رکھنے کے لیے مارکر کی منصوبہ بندی کی جاتی ہے اور ضیاع کی "
                    "پیمائش کی جاتی ہے۔",
                ),
                ("P-05", 3),
            ),
            _s(
                "CUT-02",
                (
                    "The cutting plan for each order is ready before the fabric is laid.",
                    "কাপড় বিছানোর আগেই প্রতিটি অর্ডারের কাটিং পরিকল্পনা তৈরি থাকে।",
                    "کپڑا بچھانے سے پہلے ہر آرڈر کا کٹنگ پلان تیار ہوتا ہے۔",
                ),
                ("P-05", 3),
                ("S-07", 1),
            ),
            _s(
                "CUT-03",
                (
                    "Cut panels are bundled and ticketed, so that sewing lines receive "
                    "complete bundles.",
                    "কাটা অংশগুলো বান্ডিল করে টিকিট লাগানো হয়, যাতে সেলাই লাইনে সম্পূর্ণ বান্ডিল পৌঁছায়।",
                    "کٹے ہوئے پینلز کے بنڈل بنا کر ٹکٹ لگائے جاتے ہیں تاکہ سلائی لائنوں کو مکمل "
                    "بنڈل ملیں۔",
                ),
                ("P-05", 2),
                ("P-02", 1),
            ),
            _s(
                "CUT-04",
                (
                    "Cutters wear metal mesh gloves, and the cutting machines have guards.",
                    "কাটাররা ধাতব জালির গ্লাভস পরেন এবং কাটিং মেশিনে সুরক্ষা-আবরণ (গার্ড) লাগানো থাকে।",
                    "کٹر دھاتی جالی والے دستانے پہنتے ہیں اور کٹنگ مشینوں پر حفاظتی گارڈ لگے "
                    "ہوتے ہیں۔",
                ),
                ("P-09", 2),
            ),
            _s(
                "CUT-05",
                (
                    "Shade and size mistakes found in sewing are traced back to cutting and "
                    "corrected.",
                    "সেলাইয়ে ধরা পড়া শেড ও সাইজের ভুলের উৎস কাটিং বিভাগে খুঁজে বের করে সংশোধন করা হয়।",
                    "سلائی میں سامنے آنے والی شیڈ اور سائز کی غلطیوں کا سراغ کٹنگ تک لگا کر "
                    "انہیں درست کیا جاتا ہے۔",
                ),
                ("P-04", 2),
                ("P-05", 1),
            ),
        ),
    ),
    SampleSection(
        "sewing",
        "sewing",
        _t("Sewing lines", "সেলাই লাইন", "سلائی لائنیں"),
        (
            _s(
                "SEW-01",
                (
                    "Each sewing line has an hourly production target that the operators can see.",
                    "প্রতিটি সেলাই লাইনের ঘণ্টাভিত্তিক উৎপাদন লক্ষ্য থাকে, যা অপারেটররা দেখতে পান।",
                    "ہر سلائی لائن کا فی گھنٹہ پیداواری ہدف ہوتا ہے جو آپریٹرز دیکھ سکتے ہیں۔",
                ),
                ("P-02", 3),
            ),
            _s(
                "SEW-02",
                (
                    "Output is recorded every hour and compared with the target.",
                    "প্রতি ঘণ্টায় উৎপাদন লিখে রাখা হয় এবং লক্ষ্যের সঙ্গে মিলিয়ে দেখা হয়।",
                    "ہر گھنٹے کی پیداوار درج کی جاتی ہے اور ہدف سے اس کا موازنہ کیا جاتا ہے۔",
                ),
                ("P-02", 3),
            ),
            _s(
                "SEW-03",
                (
                    "Work is balanced between operators, so that bundles do not pile up at "
                    "one machine.",
                    "অপারেটরদের মধ্যে কাজ এমনভাবে ভাগ করা হয় যাতে কোনো এক মেশিনে বান্ডিল জমে না যায়।",
                    "آپریٹرز کے درمیان کام اس طرح تقسیم کیا جاتا ہے کہ کسی ایک مشین پر بنڈل "
                    "جمع نہ ہوں۔",
                ),
                ("P-03", 3),
            ),
            _s(
                "SEW-04",
                (
                    "Workstations are arranged so that operators reach their materials "
                    "without standing up or twisting.",
                    "কর্মস্থলগুলো এমনভাবে সাজানো যে অপারেটররা উঠে দাঁড়ানো বা শরীর মোচড়ানো ছাড়াই মালামাল হাতের কাছে পান।",
                    "ورک اسٹیشن اس طرح ترتیب دیے گئے ہیں کہ آپریٹر اٹھے یا مڑے بغیر اپنے "
                    "سامان تک پہنچ جاتے ہیں۔",
                ),
                ("P-07", 3),
            ),
            _s(
                "SEW-05",
                (
                    "A new style reaches full output within two days of the changeover.",
                    "স্টাইল বদলের দুই দিনের মধ্যে নতুন স্টাইলে পূর্ণ উৎপাদন শুরু হয়।",
                    "اسٹائل بدلنے کے دو دن کے اندر نئے اسٹائل کی پوری پیداوار شروع ہو جاتی ہے۔",
                ),
                ("P-10", 3),
                ("P-03", 1),
            ),
            _s(
                "SEW-06",
                (
                    "Supervisors know how to solve problems on the line and how to coach "
                    "operators.",
                    "সুপারভাইজাররা লাইনের সমস্যা সমাধান করতে এবং অপারেটরদের হাতে-কলমে শেখাতে জানেন।",
                    "سپروائزر لائن کے مسائل حل کرنا اور آپریٹرز کی رہنمائی کرنا جانتے ہیں۔",
                ),
                ("S-06", 3),
            ),
            _s(
                "SEW-07",
                (
                    "The price of an order is agreed only after its cost has been worked out "
                    "from the standard minutes of the style.",
                    "স্টাইলের স্ট্যান্ডার্ড মিনিট থেকে খরচ হিসাব করার পরেই অর্ডারের দাম চূড়ান্ত করা হয়।",
                    "اسٹائل کے معیاری منٹوں سے لاگت کا حساب لگانے کے بعد ہی آرڈر کی قیمت طے "
                    "کی جاتی ہے۔",
                ),
                ("S-05", 3),
                ("S-07", 1),
            ),
        ),
    ),
    SampleSection(
        "quality",
        "quality",
        _t("Quality", "মান নিয়ন্ত্রণ", "معیار"),
        (
            _s(
                "QUA-01",
                (
                    "Operators check their own work, and defects are stopped at the "
                    "operation where they happen.",
                    "অপারেটররা নিজের কাজ নিজেই যাচাই করেন, এবং যে ধাপে ত্রুটি হয় সেখানেই তা থামানো হয়।",
                    "آپریٹر اپنا کام خود جانچتے ہیں، اور نقص کو اسی مرحلے پر روک دیا جاتا ہے "
                    "جہاں وہ پیدا ہوتا ہے۔",
                ),
                ("P-04", 3),
            ),
            _s(
                "QUA-02",
                (
                    "Defects are counted by type and by operation every day.",
                    "প্রতিদিন ত্রুটিগুলো ধরন ও ধাপ অনুযায়ী গণনা করা হয়।",
                    "روزانہ نقائص کو ان کی قسم اور مرحلے کے لحاظ سے گنا جاتا ہے۔",
                ),
                ("P-06", 3),
                ("P-02", 1),
            ),
            _s(
                "QUA-03",
                (
                    "Each line's defect rate is shown to the line and discussed.",
                    "প্রতিটি লাইনের ত্রুটির হার লাইনের সবাইকে দেখানো হয় এবং তা নিয়ে আলোচনা হয়।",
                    "ہر لائن کی نقائص کی شرح لائن کو دکھائی جاتی ہے اور اس پر بات چیت ہوتی ہے۔",
                ),
                ("P-06", 2),
                ("S-04", 1),
            ),
            _s(
                "QUA-04",
                (
                    "Fewer than one garment in twenty needs rework at the end-of-line inspection.",
                    "লাইনের শেষে পরিদর্শনে প্রতি বিশটি পোশাকের মধ্যে একটিরও কম পোশাকে পুনরায় কাজ করতে হয়।",
                    "لائن کے آخر میں معائنے پر بیس میں سے ایک سے بھی کم کپڑے کو دوبارہ کام "
                    "کی ضرورت پڑتی ہے۔",
                ),
                ("P-06", 3),
                ("P-04", 2),
            ),
            _s(
                "QUA-05",
                (
                    "Finishing and packing follow a set flow, so that checked garments are "
                    "never mixed with unchecked ones.",
                    "ফিনিশিং ও প্যাকিং একটি নির্দিষ্ট ধারা মেনে চলে, ফলে যাচাই করা পোশাক "
                    "যাচাই না করা পোশাকের সঙ্গে মিশে যায় না।",
                    "فنشنگ اور پیکنگ ایک طے شدہ ترتیب سے ہوتی ہے، اس لیے جانچے ہوئے کپڑے بغیر "
                    "جانچے کپڑوں سے نہیں ملتے۔",
                ),
                ("P-08", 3),
            ),
        ),
    ),
    SampleSection(
        "maintenance",
        "maintenance",
        _t("Maintenance and energy", "রক্ষণাবেক্ষণ ও জ্বালানি", "دیکھ بھال اور توانائی"),
        (
            _s(
                "MNT-01",
                (
                    "Operators clean and oil their machines at the start of each shift.",
                    "অপারেটররা প্রতিটি শিফটের শুরুতে নিজেদের মেশিন পরিষ্কার করেন ও তেল দেন।",
                    "آپریٹر ہر شفٹ کے آغاز میں اپنی مشینیں صاف کرتے ہیں اور ان میں تیل ڈالتے ہیں۔",
                ),
                ("P-09", 3),
            ),
            _s(
                "MNT-02",
                (
                    "There is a written maintenance schedule for every machine, and it is "
                    "followed.",
                    "প্রতিটি মেশিনের জন্য লিখিত রক্ষণাবেক্ষণ সূচি আছে এবং তা মেনে চলা হয়।",
                    "ہر مشین کے لیے دیکھ بھال کا تحریری شیڈول موجود ہے اور اس پر عمل کیا جاتا ہے۔",
                ),
                ("P-09", 3),
            ),
            _s(
                "MNT-03",
                (
                    "Machine breakdowns and the time they cost are recorded.",
                    "মেশিন বিকল হওয়া ও তাতে নষ্ট হওয়া সময় লিখে রাখা হয়।",
                    "مشینوں کی خرابی اور اس سے ضائع ہونے والا وقت درج کیا جاتا ہے۔",
                ),
                ("P-09", 2),
                ("P-02", 1),
            ),
            _s(
                "MNT-04",
                (
                    "Lights, machines and compressed air are switched off when not in use.",
                    "ব্যবহার না হলে বাতি, মেশিন ও কম্প্রেসড এয়ার বন্ধ রাখা হয়।",
                    "استعمال نہ ہونے پر لائٹس، مشینیں اور کمپریسڈ ایئر بند کر دی جاتی ہیں۔",
                ),
                ("S-01", 3),
            ),
            _s(
                "MNT-05",
                (
                    "Electricity use is measured every month and compared with production.",
                    "প্রতি মাসে বিদ্যুৎ ব্যবহার মাপা হয় এবং উৎপাদনের সঙ্গে তুলনা করা হয়।",
                    "ہر ماہ بجلی کے استعمال کی پیمائش کی جاتی ہے اور پیداوار سے اس کا موازنہ "
                    "کیا جاتا ہے۔",
                ),
                ("S-01", 3),
                ("S-05", 1),
            ),
        ),
    ),
    SampleSection(
        "hr",
        "hr",
        _t("Human resources", "মানবসম্পদ", "انسانی وسائل"),
        (
            _s(
                "HRM-01",
                (
                    "Every worker has a written contract and a job description.",
                    "প্রত্যেক শ্রমিকের লিখিত নিয়োগপত্র ও কাজের বিবরণ আছে।",
                    "ہر کارکن کے پاس تحریری معاہدہ اور کام کی تفصیل موجود ہے۔",
                ),
                ("S-02", 3),
            ),
            _s(
                "HRM-02",
                (
                    "New workers are trained on the job before they are given a production target.",
                    "নতুন শ্রমিকদের উৎপাদন লক্ষ্য দেওয়ার আগে কাজের মধ্যেই প্রশিক্ষণ দেওয়া হয়।",
                    "نئے کارکنوں کو پیداواری ہدف دینے سے پہلے کام کے دوران تربیت دی جاتی ہے۔",
                ),
                ("S-02", 2),
                ("S-06", 1),
            ),
            _s(
                "HRM-03",
                (
                    "Absenteeism and turnover are measured every month.",
                    "প্রতি মাসে অনুপস্থিতি ও শ্রমিক চলে যাওয়ার হার মাপা হয়।",
                    "ہر ماہ غیر حاضری اور کارکنوں کے ملازمت چھوڑنے کی شرح کی پیمائش کی جاتی ہے۔",
                ),
                ("S-03", 3),
            ),
            _s(
                "HRM-04",
                (
                    "Workers who leave are asked why, and the reasons are acted on.",
                    "যে শ্রমিকরা চাকরি ছেড়ে যান, তাঁদের কারণ জিজ্ঞেস করা হয় এবং সে অনুযায়ী ব্যবস্থা নেওয়া হয়।",
                    "ملازمت چھوڑنے والے کارکنوں سے وجہ پوچھی جاتی ہے اور ان وجوہات پر عمل کیا "
                    "جاتا ہے۔",
                ),
                ("S-03", 3),
                ("S-04", 1),
            ),
            _s(
                "HRM-05",
                (
                    "Overtime is planned, recorded and kept within the legal limit.",
                    "ওভারটাইম পরিকল্পনা করে দেওয়া হয়, লিখে রাখা হয় এবং আইনি সীমার মধ্যে রাখা হয়।",
                    "اوور ٹائم منصوبہ بندی سے دیا جاتا ہے، درج کیا جاتا ہے اور قانونی حد کے "
                    "اندر رکھا جاتا ہے۔",
                ),
                ("W-03", 3),
                ("S-07", 1),
            ),
        ),
    ),
    SampleSection(
        "safety",
        "compliance",
        _t("Safety and health", "নিরাপত্তা ও স্বাস্থ্য", "حفاظت اور صحت"),
        (
            _s(
                "OSH-01",
                (
                    "Fire drills are held at least twice a year, and every worker knows the "
                    "way out.",
                    "বছরে অন্তত দুবার অগ্নি মহড়া হয়, এবং প্রত্যেক শ্রমিক বের হওয়ার পথ জানেন।",
                    "سال میں کم از کم دو بار آگ سے بچاؤ کی مشق ہوتی ہے، اور ہر کارکن باہر "
                    "نکلنے کا راستہ جانتا ہے۔",
                ),
                ("W-05", 3),
            ),
            _s(
                "OSH-02",
                (
                    "Emergency exits are unlocked and free of goods during working hours.",
                    "কাজের সময় জরুরি বহির্গমন পথ তালামুক্ত ও মালামালমুক্ত থাকে।",
                    "کام کے اوقات میں ہنگامی دروازے کھلے اور سامان سے خالی رہتے ہیں۔",
                ),
                ("W-05", 3),
            ),
            _s(
                "OSH-03",
                (
                    "Chemicals are kept in labelled containers, with their safety data "
                    "sheets nearby.",
                    "রাসায়নিক দ্রব্য লেবেলযুক্ত পাত্রে রাখা হয় এবং কাছেই সেগুলোর সেফটি ডেটা শিট থাকে।",
                    "کیمیکلز لیبل والے برتنوں میں رکھے جاتے ہیں اور ان کی سیفٹی ڈیٹا شیٹس قریب "
                    "ہی موجود ہوتی ہیں۔",
                ),
                ("W-04", 3),
            ),
            _s(
                "OSH-04",
                (
                    "Workers who handle chemicals are trained and wear gloves and masks.",
                    "যে শ্রমিকরা রাসায়নিক নিয়ে কাজ করেন, তাঁরা প্রশিক্ষণপ্রাপ্ত এবং গ্লাভস ও মাস্ক পরেন।",
                    "کیمیکلز کے ساتھ کام کرنے والے کارکن تربیت یافتہ ہیں اور دستانے اور ماسک "
                    "پہنتے ہیں۔",
                ),
                ("W-04", 3),
            ),
            _s(
                "OSH-05",
                (
                    "There is a written policy against sexual harassment, and workers know "
                    "whom to tell.",
                    "যৌন হয়রানির বিরুদ্ধে লিখিত নীতি আছে, এবং শ্রমিকরা জানেন কাকে জানাতে হবে।",
                    "جنسی ہراسانی کے خلاف تحریری پالیسی موجود ہے، اور کارکن جانتے ہیں کہ کس "
                    "کو بتانا ہے۔",
                ),
                ("W-02", 3),
            ),
        ),
    ),
    SampleSection(
        "cooperation",
        "management",
        _t(
            "Worker–management cooperation",
            "শ্রমিক-ব্যবস্থাপনা সহযোগিতা",
            "کارکنوں اور انتظامیہ کا تعاون",
        ),
        (
            _s(
                "COP-01",
                (
                    "A committee of managers and elected worker representatives meets at "
                    "least once a month.",
                    "ব্যবস্থাপক ও নির্বাচিত শ্রমিক প্রতিনিধিদের নিয়ে গঠিত একটি কমিটি মাসে "
                    "অন্তত একবার সভা করে।",
                    "منیجرز اور منتخب کارکن نمائندوں پر مشتمل ایک کمیٹی مہینے میں کم از کم ایک "
                    "بار اجلاس کرتی ہے۔",
                ),
                ("W-01", 3),
            ),
            _s(
                "COP-02",
                (
                    "Workers' suggestions are collected and answered, and put into practice "
                    "where useful.",
                    "শ্রমিকদের পরামর্শ সংগ্রহ করা হয়, উত্তর দেওয়া হয় এবং কাজে লাগলে বাস্তবায়ন করা হয়।",
                    "کارکنوں کی تجاویز جمع کی جاتی ہیں، ان کا جواب دیا جاتا ہے اور مفید ہونے "
                    "پر ان پر عمل کیا جاتا ہے۔",
                ),
                ("W-01", 2),
                ("S-04", 2),
            ),
            _s(
                "COP-03",
                (
                    "Production results and changes are explained to workers in their own "
                    "language.",
                    "উৎপাদনের ফলাফল ও পরিবর্তনগুলো শ্রমিকদের নিজেদের ভাষায় বুঝিয়ে বলা হয়।",
                    "پیداوار کے نتائج اور تبدیلیاں کارکنوں کو ان کی اپنی زبان میں سمجھائی جاتی "
                    "ہیں۔",
                ),
                ("S-04", 3),
            ),
            _s(
                "COP-04",
                (
                    "A factory improvement team with a FIT coordinator meets regularly.",
                    "একজন FIT সমন্বয়কারীসহ একটি কারখানা উন্নয়ন দল নিয়মিত সভা করে।",
                    "FIT کوآرڈینیٹر کے ساتھ فیکٹری کی بہتری کی ایک ٹیم باقاعدگی سے اجلاس کرتی ہے۔",
                ),
                ("FIT-00", 3),
            ),
        ),
    ),
)

# The demo factory's answers: these statements are "no", every other one "yes".
DEMO_NOES = frozenset(
    {
        "STO-01",
        "STO-02",
        "STO-04",
        "CUT-01",
        "SEW-01",
        "SEW-02",
        "SEW-03",
        "QUA-02",
        "QUA-04",
        "MNT-02",
        "HRM-03",
        "HRM-04",
        "OSH-03",
        "COP-02",
    }
)
