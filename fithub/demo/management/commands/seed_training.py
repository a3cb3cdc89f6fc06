"""Load demo training for the Karachi pilot: held, planned and cascaded sessions, certificates.

Everything goes through the services a facilitator's clicks call, so the demo shows what the
pages would have written: a module plan, participants, groups, attendance, reflections,
action plans and certificates (issued only; PDFs are rendered when someone prints them).
"""

import random
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from fithub.accounts.models import User
from fithub.assessment.models import Assessment, ModulePlan
from fithub.assessment.recommend import recommendations_for
from fithub.assessment.services import module_plan_agree
from fithub.catalogue.models import Category, Module
from fithub.catalogue.sample import INTRO
from fithub.certificates.services import certificates_issue_for_session
from fithub.demo import data, seed_improvement, seed_surveys
from fithub.factories.models import Factory
from fithub.improvement import services as improvement_services
from fithub.programmes.models import DeliveryModel, Engagement
from fithub.training import services
from fithub.training.models import Participant, Session, Venue

SAHIL = data.PK_FACTORIES[0].name  # has the submitted demo assessment (seed_assessment)
CHANDNI = data.PK_FACTORIES[1].name
KEHKASHAN = data.PK_FACTORIES[3].name
GUL_BAHAR = data.PK_FACTORIES[4].name  # blended engagement: the cascade example
FACILITATOR = f"facilitator@{data.DEMO_DOMAIN}"
PROVIDER_ADMIN = f"provider.admin@{data.DEMO_DOMAIN}"

# Fictional participants; none of them is on a factory's improvement team (data.PK_PEOPLE).
MEN = [
    "Muhammad Arif Khan", "Abdul Rehman Qureshi", "Faraz Ahmed", "Kashif Mehmood",
    "Nadeem Abbas", "Tanveer Hussain", "Irfan Siddiqui", "Asadullah Khan", "Zubair Ahmed Memon",
    "Sajid Ali Laghari", "Wasim Iqbal", "Ghulam Mustafa", "Ahsan Jamil", "Danish Raza",
    "Fahad Saleem", "Khurram Shahzad", "Nasir Hussain Shah", "Qasim Ali", "Babar Javed",
    "Yasir Nawaz", "Haris Anjum", "Mubashir Hassan", "Sarfraz Khoso", "Owais Qadri",
    "Javed Iqbal Rind", "Saqib Mehboob", "Hafeezullah Kakar", "Moin Uddin", "Shakeel Ahmed",
    "Rafiq Baloch", "Aamir Hanif", "Noman Siddiqui", "Zahid Hussain", "Mansoor Ali",
    "Akbar Jatoi", "Sohail Anwar", "Tahir Mahmood", "Waseem Solangi", "Imran Lodhi",
    "Bashir Ahmed Chandio", "Adeel Rauf", "Shahbaz Khaskheli", "Naeem Ullah", "Usama Tariq",
    "Faheem Dar", "Raza Haider",
]  # fmt: skip
WOMEN = [
    "Sadia Batool", "Nazia Perveen", "Rubina Kausar", "Shagufta Jabeen", "Asma Siddiqui",
    "Fouzia Bibi", "Bushra Naz", "Sobia Khalid", "Amna Iqbal", "Rehana Yasmin", "Huma Shaheen",
    "Lubna Riaz", "Kulsoom Akhtar", "Misbah Noreen", "Hafsa Imran", "Iqra Bano",
    "Nighat Sultana", "Shehnaz Begum", "Maria Anwar", "Tasneem Fatima", "Robina Shah",
    "Zubaida Khatoon", "Shabnam Mirza", "Farzana Jamil", "Sumbal Arshad", "Ghazala Parveen",
]  # fmt: skip

# (role, department) of the people a factory sends, in order; women take the slots in
# WOMEN_SLOTS first (the sewing and finishing floors, where most women in Karachi work).
SLOTS = [
    ("manager", "management"), ("supervisor", "sewing"), ("worker", "sewing"),
    ("worker", "cutting"), ("supervisor", "quality"), ("worker", "finishing"),
    ("worker", "sewing"), ("manager", "hr"), ("worker", "storeroom"), ("supervisor", "cutting"),
    ("worker", "quality"), ("worker", "maintenance"), ("worker", "sewing"),
    ("supervisor", "finishing"),
]  # fmt: skip
WOMEN_SLOTS = [2, 1, 6, 5, 10, 7, 12, 13, 4, 3, 8, 9, 11, 0]

INTRO_ITEMS = [
    "Name the FIT coordinator and post the improvement team's names at the gate notice board",
    "Hold a 15-minute improvement team meeting every Monday after the morning shift briefing",
    "Put a suggestion box in the sewing hall and read the suggestions at each team meeting",
    "Agree with the production manager which line tries the first module's changes",
    "Tell every supervisor about FIT at the next supervisors' meeting",
]
PRODUCTION_ITEMS = [
    "Mark a fixed place with floor tape for each bundle trolley on line 3",
    "Label the shelves in the trims store by style and size, with a photo of each item",
    "Write down the causes of the 20 most common defects found at end-line checking",
    "Move the thread cones to a rack within arm's reach of each operator",
    "Keep a daily machine breakdown log at the maintenance desk and review it on Saturdays",
    "Try a 5-minute line meeting at 9:00 to share yesterday's output and defects",
]
CASCADE_ITEMS = [
    "Clear the aisle between the cutting tables and the sewing lines every morning",
    "Put a visible output board at the end of each line, filled in every hour",
    "Ask each line for one idea a week and thank the person at the Monday meeting",
    "Repair the lighting above the checking tables",
]
REFLECTIONS = {
    "intro": (
        "Everyone took part in the group work; the production manager stayed for the whole "
        "session, which showed the workers it matters.",
        "Start with the factory tour in smaller groups: the sewing hall was too loud to talk.",
    ),
    "production": (
        "The groups used their own line as the case and found changes they can make this week.",
        "Bring photos of the storeroom beforehand; give the note takers more time at the end.",
    ),
    "parent": (
        "The representatives practised facilitating one activity each and gave each other "
        "useful feedback.",
        "Give each representative a printed session plan in Urdu to take back.",
    ),
    "child": (
        "The workers spoke freely with a supervisor they know; the groups finished on time.",
        "Ask the FIT coordinator to attend the next one to answer questions about follow-up.",
    ),
}


@dataclass
class Ctx:
    today: date
    facilitator: User
    admin: User
    rng: random.Random
    men: list[str]
    women: list[str]


class Command(BaseCommand):
    help = (
        "Load demo training for the Karachi demo programme: held in-factory sessions with "
        "certificates, a planned classroom session and a cascade (needs seed_demo)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if any training session exists (used by ./dev start).",
        )

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        if if_empty and Session.objects.exists():
            self.stdout.write("Training sessions exist already; nothing was loaded.")
            return
        engagements = {
            e.factory.name: e
            for e in Engagement.objects.filter(
                programme__name=data.PK_PROGRAMME, programme__is_demo=True
            ).select_related("factory", "provider")
        }
        users = {u.email: u for u in User.objects.filter(email__in=[FACILITATOR, PROVIDER_ADMIN])}
        needed = (SAHIL, CHANDNI, KEHKASHAN, GUL_BAHAR)
        if not all(name in engagements for name in needed) or len(users) < 2:
            self.stdout.write("The Karachi demo programme is not loaded; no training was loaded.")
            return
        if Session.objects.filter(engagements=engagements[SAHIL]).exists():
            raise CommandError(
                f"Demo training already exists (sessions of {SAHIL!r}); nothing was written."
            )
        if not Module.objects.exists():
            call_command("seed_catalogue", no_files=True, stdout=self.stdout)
        ctx = Ctx(
            today=timezone.localdate(),
            facilitator=users[FACILITATOR],
            admin=users[PROVIDER_ADMIN],
            rng=random.Random(2021),
            men=list(MEN),
            women=list(WOMEN),
        )
        with transaction.atomic():
            lines = self.seed(ctx, engagements)
        for line in lines:
            self.stdout.write(line)

    # --- creation -------------------------------------------------------------------------

    def seed(self, ctx: Ctx, engagements: dict[str, Engagement]) -> list[str]:
        intro = Module.objects.get(code=INTRO)
        sahil = engagements[SAHIL]
        production = self.production_module(ctx, sahil)
        lines = []

        # Two held in-factory sessions with the same people: the intro, then the plan's
        # first production module.
        room = self.venue(
            factory=sahil.factory,
            name="Training room, Sahil Stitchcraft (first floor)",
            capacity=20,
        )
        people = self.people(ctx, sahil.factory, 13, language="ur")
        first = self.held(
            ctx,
            module=intro,
            engagements=[sahil],
            venue=room,
            day=self.workday(ctx.today - timedelta(weeks=4), -1),
            language="ur",
            people=people,
            absent=1,
            items=INTRO_ITEMS,
            reflection=REFLECTIONS["intro"],
        )
        second = self.held(
            ctx,
            module=production,
            engagements=[sahil],
            venue=room,
            day=self.workday(ctx.today - timedelta(weeks=2), -1),
            language="en",
            people=people,
            absent=2,
            items=PRODUCTION_ITEMS,
            reflection=REFLECTIONS["production"],
        )
        lines += [self.describe(first), self.describe(second)]
        seed_surveys.answer(first, 9, rng=random.Random(14), language="ur")

        # The cascade: a classroom session for representatives of two factories (blended
        # model), then one representative runs the module in their own factory.
        centre = self.venue(
            provider=sahil.provider,
            name="KGEA Training Centre, Shahrah-e-Faisal",
            address="3rd floor, Business Centre, Shahrah-e-Faisal, Karachi 75350",
            city="Karachi",
            capacity=30,
            step_free=True,
            accessible_toilets=True,
        )
        gul_bahar, kehkashan = engagements[GUL_BAHAR], engagements[KEHKASHAN]
        reps = self.people(ctx, gul_bahar.factory, 5, language="ur", supervisors=True)
        reps += self.people(ctx, kehkashan.factory, 5, language="ur", supervisors=True)
        cascade_module = next(
            (
                m
                for m in Module.objects.filter(category=Category.PRODUCTION).order_by(
                    "sort_order", "code"
                )
                if m.pk != production.pk
            ),
            production,
        )
        parent = self.held(
            ctx,
            module=cascade_module,
            engagements=[gul_bahar, kehkashan],
            venue=centre,
            day=self.workday(ctx.today - timedelta(weeks=6), -1),
            language="ur",
            people=reps,
            absent=0,
            items=PRODUCTION_ITEMS[2:],
            reflection=REFLECTIONS["parent"],
            delivery_model=DeliveryModel.BLENDED,
        )
        # A woman representative if the factory sent one: she trains the sewing floor.
        rep = next((p for p in reps[:5] if p.sex == "female"), reps[0])
        representative = parent.registrations.get(participant=rep)
        hall = self.venue(
            factory=gul_bahar.factory, name="Gul Bahar Garments, canteen hall", capacity=40
        )
        workers = self.people(ctx, gul_bahar.factory, 11, language="ur")
        child = services.child_session_create(
            registration=representative,
            by=ctx.facilitator,
            details=services.CascadeDetails(
                date=self.workday(ctx.today - timedelta(weeks=3), -1), venue=hall, language="ur"
            ),
        )
        self.run(ctx, child, workers, absent=1, items=CASCADE_ITEMS)
        services.reflection_record(
            session=child, by=ctx.facilitator, went_well=REFLECTIONS["child"][0],
            to_change=REFLECTIONS["child"][1],
        )  # fmt: skip
        certificates_issue_for_session(session=child, by=ctx.facilitator)
        # Four answers: too few to show without telling who said what.
        seed_surveys.answer(child, 4, rng=random.Random(15), language="ur")
        lines += [self.describe(parent), self.describe(child) + f" (cascade, run by {rep})"]

        # Next month's classroom session for two factories: planned, not held.
        chandni = engagements[CHANDNI]
        guests = self.people(ctx, chandni.factory, 8, language="ur")
        guests += self.people(ctx, kehkashan.factory, 7, language="ur", step_free=True)
        first_next = (ctx.today.replace(day=1) + timedelta(days=32)).replace(day=1)
        planned = services.session_create(
            by=ctx.facilitator,
            provider=chandni.provider,
            engagements=[chandni, kehkashan],
            details=services.SessionDetails(
                module=intro,
                date=self.workday(first_next + timedelta(days=9), 1),
                starts_at=time(10, 0),
                ends_at=self.ends(time(10, 0), intro),
                delivery_model=DeliveryModel.CLASSROOM,
                venue=centre,
                facilitator=ctx.facilitator,
                language="ur",
            ),
        )
        for participant in guests:
            services.registration_add(session=planned, participant=participant, by=ctx.facilitator)
        lines.append(self.describe(planned))
        lines += seed_improvement.seed(
            engagements=[sahil, gul_bahar, kehkashan], facilitator=ctx.facilitator, today=ctx.today
        )
        return lines

    def production_module(self, ctx: Ctx, engagement: Engagement) -> Module:
        """Agree the plan from the assessment if there is none; return its production module."""
        plan = ModulePlan.objects.filter(engagement=engagement).first()
        assessment = (
            Assessment.objects.filter(
                factory=engagement.factory_id, status=Assessment.Status.SUBMITTED
            )
            .order_by("-pk")
            .first()
        )
        if plan is None and assessment is not None:
            suggested = [rec.module.id for rec in recommendations_for(assessment).suggested]
            by_pk = Module.objects.in_bulk(suggested)
            if suggested:
                plan = module_plan_agree(
                    engagement=engagement,
                    assessment=assessment,
                    modules=[by_pk[pk] for pk in suggested],
                    by=ctx.admin,
                )
        if plan is not None:
            for item in plan.items.select_related("module").order_by("order"):
                if item.module.category == Category.PRODUCTION:
                    return item.module
        return Module.objects.filter(category=Category.PRODUCTION).order_by("sort_order", "code")[0]

    def venue(self, **fields: Any) -> Venue:
        provider = fields.pop("provider", None)
        factory = fields.pop("factory", None)
        if factory is not None:
            fields.setdefault("address", factory.address)
            fields.setdefault("city", factory.city)
        details = services.VenueDetails(**fields)
        return services.venue_create(by=None, details=details, provider=provider, factory=factory)

    def people(
        self,
        ctx: Ctx,
        factory: Factory,
        n: int,
        *,
        language: str,
        supervisors: bool = False,
        step_free: bool = False,
    ) -> list[Participant]:
        """Record n people of a factory, with its share of women (at least one) among them."""
        women = max(1, round(n * (factory.share_women or 0.3)))
        women_slots = set([s for s in WOMEN_SLOTS if s < n][:women])
        slots = SLOTS[:n]
        if supervisors:  # representatives: supervisors and line leaders, who train others
            slots = [("supervisor", d) if r == "worker" else (r, d) for r, d in slots]
        created = []
        for i, (role, department) in enumerate(slots):
            female = i in women_slots
            name = (ctx.women if female else ctx.men).pop(0)
            created.append(
                services.participant_create(
                    factory=factory,
                    by=ctx.facilitator,
                    details=services.ParticipantDetails(
                        name=name,
                        sex="female" if female else "male",
                        role=role,
                        department=department,
                        # Managers often read English; the certificate follows the person's
                        # language.
                        language="en" if role == "manager" else language,
                        disability=True if step_free and i == 3 else None,
                        needs_step_free=step_free and i == 3,
                    ),
                )
            )
        return created

    def held(
        self,
        ctx: Ctx,
        *,
        module: Module,
        engagements: list[Engagement],
        venue: Venue,
        day: date,
        language: str,
        people: list[Participant],
        absent: int,
        items: list[str],
        reflection: tuple[str, str],
        delivery_model: str = DeliveryModel.IN_FACTORY,
    ) -> Session:
        """Plan a session in the past, run it as the facilitator would, and issue certificates."""
        session = services.session_create(
            by=ctx.facilitator,
            provider=engagements[0].provider,
            engagements=engagements,
            details=services.SessionDetails(
                module=module,
                date=day,
                starts_at=time(9, 30),
                ends_at=self.ends(time(9, 30), module),
                delivery_model=delivery_model,
                venue=venue,
                facilitator=ctx.facilitator,
                language=language,
            ),
        )
        self.run(ctx, session, people, absent=absent, items=items)
        services.reflection_record(
            session=session, by=ctx.facilitator, went_well=reflection[0], to_change=reflection[1]
        )
        certificates_issue_for_session(session=session, by=ctx.facilitator)
        return session

    def run(
        self,
        ctx: Ctx,
        session: Session,
        people: list[Participant],
        *,
        absent: int,
        items: list[str],
    ) -> None:
        """Register people, take attendance, form groups and record each group's action plan."""
        registrations = [
            services.registration_add(session=session, participant=p, by=ctx.facilitator)
            for p in people
        ]
        away = set(ctx.rng.sample(range(len(registrations)), absent))
        services.attendance_record_many(
            session=session,
            marks=[(r, i not in away) for i, r in enumerate(registrations)],
            by=ctx.facilitator,
            method="sheet",
        )
        groups = services.groups_form(session=session, by=ctx.facilitator)
        pool = list(items)
        ctx.rng.shuffle(pool)
        for group in groups:
            members = list(group.members.select_related("participant"))
            for _i in range(ctx.rng.choice((2, 3))):
                owner = ctx.rng.choice(members).participant
                improvement_services.session_item_add(
                    session=session,
                    by=ctx.facilitator,
                    description=pool.pop() if pool else ctx.rng.choice(items),
                    factory=owner.factory,
                    group=group,
                    owner_name=owner.name,
                    due_on=session.date + timedelta(days=ctx.rng.choice((14, 21, 30))),
                )

    @staticmethod
    def ends(start: time, module: Module) -> time:
        """When a session starting at `start` ends: after the module's full duration."""
        end = min(start.hour * 60 + start.minute + (module.duration_minutes or 120), 23 * 60)
        return time(end // 60, end % 60)

    @staticmethod
    def workday(day: date, step: int) -> date:
        """Move off a Sunday (Karachi's factories work Monday to Saturday)."""
        while day.weekday() == 6:
            day += timedelta(days=step)
        return day

    @staticmethod
    def describe(session: Session) -> str:
        regs = session.registrations.all()
        present = sum(1 for r in regs if r.present)
        return (
            f"{session.get_status_display()} {session.date} {session.module.code} "
            f"({session.get_delivery_model_display()}, {session.language}): "
            f"{len(regs)} registered, {present} present"
        )
