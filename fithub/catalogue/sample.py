# Urdu sentences end with the Urdu full stop (U+06D4): the right character, not a look-alike.
# ruff: noqa: RUF001
"""A sample catalogue for demonstrations: fictional FIT-style modules, each marked as a sample.

The real FIT catalogue (60 modules in 2019/20, more than 70 later) belongs to the ILO and is
imported by the programme owner; only "Setting up your factory for FIT" is a real module
name. Codes, minutes, departments and summaries here are invented.
"""

from dataclasses import dataclass

SAMPLE_ATTRIBUTION = "Sample module (demo) — the real catalogue is imported by its owner"
SAMPLE_NOTE = {
    "en": "Sample module (demo) — the real catalogue is imported by its owner.",
    "bn": "নমুনা মডিউল (ডেমো) — আসল ক্যাটালগটি এর মালিক নিজে যুক্ত করবেন।",
    "ur": "نمونہ ماڈیول (ڈیمو) — اصل کیٹلاگ اس کا مالک خود شامل کرے گا۔",
}
INTRO = "FIT-00"


@dataclass(frozen=True)
class SampleModule:
    code: str
    category: str
    audience: str
    minutes: tuple[int, int, int, int]  # duration, case study, activities, action plan
    departments: tuple[str, ...]
    title: dict[str, str]
    summary: dict[str, str]


def _m(
    code: str,
    category: str,
    audience: str,
    minutes: tuple[int, int, int, int],
    departments: tuple[str, ...],
    title: tuple[str, str, str],
    summary: tuple[str, str, str],
) -> SampleModule:
    return SampleModule(
        code,
        category,
        audience,
        minutes,
        departments,
        dict(zip(("en", "bn", "ur"), title, strict=True)),
        {
            code: f"{text} {SAMPLE_NOTE[code]}"
            for code, text in zip(("en", "bn", "ur"), summary, strict=True)
        },
    )


P, S, W = "production", "support_systems", "working_conditions"
MANAGERS, WORKERS, MIXED = "managers", "workers", "mixed"

MODULES = [
    _m(
        INTRO, S, MANAGERS, (120, 20, 70, 30), ("management", "hr", "compliance"),
        (
            "Setting up your factory for FIT",
            "FIT-এর জন্য আপনার কারখানা প্রস্তুত করা",
            "FIT کے لیے اپنی فیکٹری کی تیاری",
        ),
        (
            "Form the factory improvement team, choose a FIT coordinator and decide which "
            "modules to run first.",
            "কারখানা উন্নয়ন দল গঠন করুন, একজন FIT সমন্বয়কারী বেছে নিন এবং কোন মডিউলগুলো "
            "আগে চালাবেন তা ঠিক করুন।",
            "فیکٹری کی بہتری کی ٹیم بنائیں، FIT کوآرڈینیٹر منتخب کریں اور طے کریں کہ پہلے "
            "کون سے ماڈیول چلانے ہیں۔",
        ),
    ),
    _m(
        "P-01", P, MIXED, (120, 20, 70, 30), ("storeroom",),
        (
            "Organising materials in the storeroom",
            "স্টোররুমে মালামাল গুছিয়ে রাখা",
            "اسٹور روم میں سامان کی ترتیب",
        ),
        (
            "Sort, label and place fabric and trims so that anyone can find them quickly.",
            "কাপড় ও ট্রিমস বাছাই করুন, লেবেল দিন ও সাজিয়ে রাখুন, যাতে যে কেউ দ্রুত খুঁজে পায়।",
            "کپڑے اور ٹرمز کو چھانٹیں، لیبل لگائیں اور ترتیب سے رکھیں تاکہ ہر کوئی انہیں "
            "جلدی ڈھونڈ سکے۔",
        ),
    ),
    _m(
        "P-02", P, MIXED, (120, 20, 70, 30), ("sewing", "management"),
        ("Tracking production", "উৎপাদনের হিসাব রাখা", "پیداوار کا ریکارڈ رکھنا"),
        (
            "Record hourly output against targets on a board the whole line can see.",
            "পুরো লাইন দেখতে পায় এমন বোর্ডে লক্ষ্যমাত্রার পাশে প্রতি ঘণ্টার উৎপাদন লিখে রাখুন।",
            "ہر گھنٹے کی پیداوار کو ہدف کے ساتھ ایسے بورڈ پر لکھیں جسے پوری لائن دیکھ سکے۔",
        ),
    ),
    _m(
        "P-03", P, MANAGERS, (150, 25, 90, 35), ("sewing",),
        ("Line balancing", "লাইনে কাজের ভারসাম্য আনা", "لائن میں کام کا توازن"),
        (
            "Share the work between operators so that nobody waits and no bundle piles up.",
            "অপারেটরদের মধ্যে কাজ এমনভাবে ভাগ করুন যাতে কাউকে অপেক্ষা করতে না হয় এবং কোনো "
            "বান্ডেল জমে না থাকে।",
            "آپریٹرز کے درمیان کام اس طرح بانٹیں کہ کسی کو انتظار نہ کرنا پڑے اور کوئی بنڈل "
            "جمع نہ ہو۔",
        ),
    ),
    _m(
        "P-04", P, WORKERS, (120, 20, 70, 30), ("quality", "sewing"),
        ("Quality at the source", "উৎসেই মান নিশ্চিত করা", "ہر مرحلے پر معیار کو یقینی بنانا"),
        (
            "Operators check their own work, so that defects are caught where they are made.",
            "অপারেটররা নিজেদের কাজ নিজেরাই যাচাই করেন, তাই ত্রুটি যেখানে হয় সেখানেই ধরা পড়ে।",
            "آپریٹر اپنا کام خود جانچتے ہیں، اس لیے نقص وہیں پکڑا جاتا ہے جہاں وہ پیدا ہوتا ہے۔",
        ),
    ),
    _m(
        "P-05", P, MANAGERS, (135, 20, 85, 30), ("cutting",),
        ("Planning the cutting room", "কাটিং রুমের পরিকল্পনা", "کٹنگ روم کی منصوبہ بندی"),
        (
            "Plan markers and lays to save fabric and to feed the sewing lines on time.",
            "কাপড় বাঁচাতে এবং সময়মতো সেলাই লাইনে কাজ পৌঁছাতে মার্কার ও লে-এর পরিকল্পনা করুন।",
            "کپڑا بچانے اور سلائی لائنوں کو وقت پر کام پہنچانے کے لیے مارکر اور لے کی منصوبہ "
            "بندی کریں۔",
        ),
    ),
    _m(
        "P-06", P, MIXED, (120, 20, 70, 30), ("sewing", "quality"),
        ("Reducing defects in sewing", "সেলাইয়ে ত্রুটি কমানো", "سلائی میں نقائص کم کرنا"),
        (
            "Find the five most frequent defects and remove their causes together.",
            "সবচেয়ে বেশি ঘটে এমন পাঁচটি ত্রুটি খুঁজে বের করুন এবং সবাই মিলে সেগুলোর কারণ দূর "
            "করুন।",
            "سب سے زیادہ ہونے والے پانچ نقائص تلاش کریں اور مل کر ان کی وجوہات دور کریں۔",
        ),
    ),
    _m(
        "P-07", P, WORKERS, (90, 15, 55, 20), ("sewing", "finishing"),
        ("Arranging the workstation", "কর্মস্থলের বিন্যাস", "کام کی جگہ کی ترتیب"),
        (
            "Arrange machines, chairs and bundles so that operators reach everything without "
            "strain.",
            "মেশিন, চেয়ার ও বান্ডেল এমনভাবে সাজান যাতে অপারেটররা কষ্ট ছাড়াই সবকিছু হাতের "
            "কাছে পান।",
            "مشینیں، کرسیاں اور بنڈل اس طرح ترتیب دیں کہ آپریٹر بغیر تکلیف کے ہر چیز تک پہنچ "
            "سکیں۔",
        ),
    ),
    _m(
        "P-08", P, MIXED, (120, 20, 70, 30), ("finishing",),
        (
            "Finishing and packing flow",
            "ফিনিশিং ও প্যাকিংয়ের কাজের প্রবাহ",
            "فنشنگ اور پیکنگ کا بہاؤ",
        ),
        (
            "Move garments from ironing to carton without handling them twice.",
            "একই পোশাক বারবার হাতে না নিয়ে ইস্ত্রি থেকে কার্টন পর্যন্ত পৌঁছে দিন।",
            "کپڑوں کو بار بار اٹھائے بغیر استری سے کارٹن تک پہنچائیں۔",
        ),
    ),
    _m(
        "P-09", P, WORKERS, (90, 15, 55, 20), ("maintenance", "sewing"),
        (
            "Machine care every day",
            "প্রতিদিনের মেশিন রক্ষণাবেক্ষণ",
            "مشینوں کی روزانہ دیکھ بھال",
        ),
        (
            "Daily checks and cleaning that prevent most breakdowns.",
            "প্রতিদিনের পরীক্ষা ও পরিষ্কার-পরিচ্ছন্নতা, যা বেশিরভাগ যন্ত্র বিকল হওয়া ঠেকায়।",
            "روزانہ کی جانچ اور صفائی جو زیادہ تر خرابیوں کو روکتی ہے۔",
        ),
    ),
    _m(
        "P-10", P, MANAGERS, (120, 20, 70, 30), ("sewing", "cutting"),
        ("Changing styles quickly", "দ্রুত স্টাইল পরিবর্তন", "اسٹائل کی جلد تبدیلی"),
        (
            "Prepare the next style while the current one runs, to save the hours lost at "
            "changeover.",
            "চলতি স্টাইল চলার সময়েই পরের স্টাইলের প্রস্তুতি নিন, যাতে পরিবর্তনের সময় ঘণ্টার "
            "পর ঘণ্টা নষ্ট না হয়।",
            "موجودہ اسٹائل چلنے کے دوران ہی اگلے اسٹائل کی تیاری کریں تاکہ تبدیلی میں ضائع "
            "ہونے والے گھنٹے بچ سکیں۔",
        ),
    ),
    _m(
        "S-01", S, MANAGERS, (120, 20, 70, 30), ("maintenance", "management"),
        ("Energy saving in the factory", "কারখানায় জ্বালানি সাশ্রয়", "فیکٹری میں توانائی کی بچت"),
        (
            "Find where electricity, steam and compressed air are wasted, and stop it.",
            "কোথায় বিদ্যুৎ, বাষ্প ও সংকুচিত বাতাসের অপচয় হয় তা খুঁজে বের করুন এবং তা বন্ধ "
            "করুন।",
            "معلوم کریں کہ بجلی، بھاپ اور کمپریسڈ ہوا کہاں ضائع ہوتی ہے، اور اسے روکیں۔",
        ),
    ),
    _m(
        "S-02", S, MANAGERS, (150, 25, 90, 35), ("hr",),
        (
            "Managing human resources",
            "মানবসম্পদ ব্যবস্থাপনা",
            "انسانی وسائل کا انتظام",
        ),
        (
            "Hire, introduce and keep workers with clear, fair and written procedures.",
            "স্পষ্ট, ন্যায্য ও লিখিত পদ্ধতিতে কর্মী নিয়োগ দিন, কাজের সাথে পরিচয় করিয়ে দিন "
            "এবং তাদের ধরে রাখুন।",
            "واضح، منصفانہ اور تحریری طریقۂ کار کے ساتھ کارکنوں کو بھرتی کریں، کام سے متعارف "
            "کرائیں اور انہیں برقرار رکھیں۔",
        ),
    ),
    _m(
        "S-03", S, MANAGERS, (120, 20, 70, 30), ("hr", "management"),
        (
            "Reducing turnover and absenteeism",
            "চাকরি ছেড়ে যাওয়া ও অনুপস্থিতি কমানো",
            "ملازمت چھوڑنے اور غیر حاضری میں کمی",
        ),
        (
            "Measure who leaves and who is absent, learn why, and act on the main reasons.",
            "কারা চাকরি ছাড়ছেন ও কারা অনুপস্থিত থাকছেন তা মাপুন, কারণ জানুন এবং প্রধান "
            "কারণগুলো দূর করতে পদক্ষেপ নিন।",
            "ناپیں کہ کون ملازمت چھوڑتا ہے اور کون غیر حاضر رہتا ہے، وجہ جانیں، اور بڑی وجوہات "
            "پر عمل کریں۔",
        ),
    ),
    _m(
        "S-04", S, MIXED, (90, 15, 55, 20), ("management", "hr"),
        ("Communicating with workers", "শ্রমিকদের সাথে যোগাযোগ", "کارکنوں کے ساتھ رابطہ"),
        (
            "Use notice boards, meetings and suggestion boxes so that information flows both "
            "ways.",
            "নোটিশ বোর্ড, সভা ও পরামর্শ বাক্স ব্যবহার করুন, যাতে তথ্য দুই দিকেই আদান-প্রদান হয়।",
            "نوٹس بورڈ، میٹنگز اور تجاویز کے ڈبے استعمال کریں تاکہ معلومات دونوں طرف پہنچیں۔",
        ),
    ),
    _m(
        "S-05", S, MANAGERS, (120, 20, 70, 30), ("management",),
        (
            "Costing an order",
            "অর্ডারের খরচ নির্ধারণ",
            "آرڈر کی لاگت کا حساب",
        ),
        (
            "Calculate the real cost of a minute of production before accepting a price.",
            "দাম মেনে নেওয়ার আগে এক মিনিট উৎপাদনের প্রকৃত খরচ হিসাব করুন।",
            "قیمت قبول کرنے سے پہلے ایک منٹ کی پیداوار کی اصل لاگت کا حساب لگائیں۔",
        ),
    ),
    _m(
        "S-06", S, MANAGERS, (120, 20, 70, 30), ("sewing", "management"),
        ("Supervisory skills", "তত্ত্বাবধানের দক্ষতা", "نگرانی کی مہارتیں"),
        (
            "Give clear instructions, recognise good work and solve problems with the team.",
            "স্পষ্ট নির্দেশনা দিন, ভালো কাজের স্বীকৃতি দিন এবং দলের সাথে মিলে সমস্যার সমাধান করুন।",
            "واضح ہدایات دیں، اچھے کام کی تعریف کریں اور ٹیم کے ساتھ مل کر مسائل حل کریں۔",
        ),
    ),
    _m(
        "S-07", S, MANAGERS, (135, 20, 85, 30), ("management",),
        (
            "Planning orders and capacity",
            "অর্ডার ও উৎপাদন সক্ষমতার পরিকল্পনা",
            "آرڈرز اور پیداواری صلاحیت کی منصوبہ بندی",
        ),
        (
            "Match incoming orders with the lines' capacity, to deliver on time without "
            "excessive overtime.",
            "অতিরিক্ত ওভারটাইম ছাড়াই সময়মতো পণ্য পৌঁছাতে নতুন অর্ডারগুলো লাইনের সক্ষমতার "
            "সাথে মিলিয়ে নিন।",
            "ضرورت سے زیادہ اوور ٹائم کے بغیر وقت پر مال پہنچانے کے لیے آنے والے آرڈرز کو "
            "لائنوں کی صلاحیت کے مطابق رکھیں۔",
        ),
    ),
    _m(
        "W-01", W, MIXED, (150, 25, 90, 35), ("management", "compliance"),
        ("Workplace cooperation", "কর্মক্ষেত্রে সহযোগিতা", "کام کی جگہ پر باہمی تعاون"),
        (
            "Managers and worker representatives solve workplace problems together in a "
            "bipartite committee.",
            "ব্যবস্থাপক ও শ্রমিক প্রতিনিধিরা একটি দ্বিপক্ষীয় কমিটিতে একসাথে কর্মক্ষেত্রের "
            "সমস্যার সমাধান করেন।",
            "مینیجر اور کارکنوں کے نمائندے ایک دو طرفہ کمیٹی میں مل کر کام کی جگہ کے مسائل "
            "حل کرتے ہیں۔",
        ),
    ),
    _m(
        "W-02", W, MIXED, (120, 20, 70, 30), ("hr", "compliance"),
        ("Preventing sexual harassment", "যৌন হয়রানি প্রতিরোধ", "جنسی ہراسانی کی روک تھام"),
        (
            "Recognise harassment, set up a safe way to complain and act on every complaint.",
            "হয়রানি চিনে নিন, অভিযোগ জানানোর একটি নিরাপদ ব্যবস্থা গড়ে তুলুন এবং প্রতিটি "
            "অভিযোগের ভিত্তিতে ব্যবস্থা নিন।",
            "ہراسانی کو پہچانیں، شکایت کا ایک محفوظ طریقہ بنائیں اور ہر شکایت پر کارروائی کریں۔",
        ),
    ),
    _m(
        "W-03", W, MANAGERS, (120, 20, 70, 30), ("hr", "management"),
        ("Managing working hours", "কর্মঘণ্টা ব্যবস্থাপনা", "اوقاتِ کار کا انتظام"),
        (
            "Plan overtime within legal limits and keep accurate records of the hours worked.",
            "আইনি সীমার মধ্যে ওভারটাইমের পরিকল্পনা করুন এবং কাজের ঘণ্টার সঠিক রেকর্ড রাখুন।",
            "قانونی حدود کے اندر اوور ٹائم کی منصوبہ بندی کریں اور کام کے اوقات کا درست "
            "ریکارڈ رکھیں۔",
        ),
    ),
    _m(
        "W-04", W, WORKERS, (90, 15, 55, 20), ("finishing", "maintenance"),
        ("Safe chemical handling", "নিরাপদে রাসায়নিক ব্যবহার", "کیمیکلز کا محفوظ استعمال"),
        (
            "Label, store and use chemicals safely, with the right protective equipment.",
            "সঠিক সুরক্ষা সরঞ্জাম পরে রাসায়নিকে লেবেল দিন, নিরাপদে সংরক্ষণ ও ব্যবহার করুন।",
            "درست حفاظتی سامان کے ساتھ کیمیکلز پر لیبل لگائیں، انہیں محفوظ طریقے سے رکھیں اور "
            "استعمال کریں۔",
        ),
    ),
    _m(
        "W-05", W, WORKERS, (90, 15, 55, 20), ("sewing", "cutting", "finishing", "storeroom"),
        (
            "Fire safety and emergency exits",
            "অগ্নিনিরাপত্তা ও জরুরি বহির্গমন পথ",
            "آگ سے حفاظت اور ہنگامی راستے",
        ),
        (
            "Keep exits clear, know the alarm and practise leaving until everyone is out in "
            "three minutes.",
            "বহির্গমন পথ খোলা রাখুন, অ্যালার্মের সংকেত চিনে নিন এবং তিন মিনিটে সবাই বের হতে "
            "না পারা পর্যন্ত মহড়া দিন।",
            "ہنگامی راستے کھلے رکھیں، الارم کو پہچانیں اور انخلا کی مشق اس وقت تک کریں جب تک "
            "سب تین منٹ میں باہر نہ نکل آئیں۔",
        ),
    ),
]  # fmt: skip


def sample_pdf(lines: list[str]) -> bytes:
    """Return a one-page PDF showing the lines (ASCII), for sample files."""
    text = " T* ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj"
        for line in lines
    )
    stream = f"BT /F1 14 Tf 16 TL 60 780 Td {text} ET".encode("ascii", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
