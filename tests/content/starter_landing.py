"""The `landing` starter: Cadence, a calm project planner, with features, pricing, proof and a contact page."""

from __future__ import annotations

import starter_art as art
from starter_build import Starter, page


def build() -> Starter:
    site = Starter(
        {
            "name": "landing",
            "title": "Cadence",
            "language": "en",
            "theme": "aurora",
            "description": "Cadence is the calm project planner for small teams: one board, one timeline, "
            "and a weekly rhythm that keeps everyone in sync without the meetings.",
            "settings": {
                "base_url": "https://cadence.example.com",
                "seo_image": "cadence-social.png",
                "footer_note": "© 2026 Cadence Labs. Made with care in Lisbon.",
            },
        }
    )
    logo = site.asset(
        "cadence-logo.svg",
        art.mark("#6366f1", "#4338ca", "bars", "Cadence logo"),
        "Cadence logo",
        40,
        40,
    )
    site.asset(
        "cadence-social.png",
        art.gradient_png(1200, 630, (67, 56, 202), (109, 40, 217)),
        "Cadence: plan less, ship more",
        1200,
        630,
    )
    board = site.asset(
        "cadence-board.svg",
        art.dashboard("The Cadence board"),
        "The Cadence board: four columns of task cards from To do to Done",
        1200,
        840,
    )
    still = site.asset(
        "cadence-tour.svg",
        art.video_still("Still from the Cadence tour"),
        "Still from the Cadence tour video",
        1280,
        720,
    )
    people = {
        "maya": ("MO", "#f472b6", "#be185d"),
        "jonas": ("JB", "#60a5fa", "#1d4ed8"),
        "priya": ("PS", "#34d399", "#047857"),
        "ines": ("IC", "#a78bfa", "#6d28d9"),
        "tomas": ("TV", "#fbbf24", "#b45309"),
        "lea": ("LK", "#f87171", "#b91c1c"),
        "ravi": ("RN", "#22d3ee", "#0e7490"),
    }
    face = {
        key: site.asset(
            f"portrait-{key}.svg", art.avatar(*spec), f"Portrait of {key.title()}", 96, 96
        )
        for key, spec in people.items()
    }
    logos = [
        (
            name,
            site.asset(
                f"customer-{name.lower()}.svg",
                art.wordmark(name, shape),
                name,
                40 + 11 * len(name),
                40,
            ),
        )
        for name, shape in [
            ("Northbeam", "ring"),
            ("Quillo", "diamond"),
            ("Stackline", "stack"),
            ("Fernway", "leaf"),
            ("Voltage", "bolt"),
        ]
    ]

    navbar = (
        "navbar",
        {
            "brand": "Cadence",
            "logo": logo,
            "links": [
                {"label": "Features", "url": "/#features"},
                {"label": "Pricing", "url": "/#pricing"},
                {"label": "About", "url": "/about/"},
                {"label": "Contact", "url": "/contact/"},
            ],
            "cta_label": "Start free trial",
            "cta_url": "/#pricing",
        },
    )
    footer = (
        "footer",
        {
            "brand": "Cadence",
            "tagline": "The calm project planner for small teams.\nOne board, one timeline, no status meetings.",
            "columns": [
                {
                    "heading": "Product",
                    "links": "- [Features](/#features)\n- [Pricing](/#pricing)\n- [Tour](/#tour)\n- [FAQ](/#faq)",
                },
                {
                    "heading": "Company",
                    "links": "- [About us](/about/)\n- [Contact](/contact/)\n- [Privacy](/privacy/)",
                },
                {
                    "heading": "Help",
                    "links": "- [Help centre](https://help.cadence.example.com/)\n"
                    "- [System status](https://status.cadence.example.com/)\n"
                    "- [hello@cadence.example.com](mailto:hello@cadence.example.com)",
                },
            ],
            "social": [
                {"network": "mastodon", "url": "https://mastodon.example.social/@cadence"},
                {"network": "github", "url": "https://github.com/cadence-labs"},
                {"network": "linkedin", "url": "https://www.linkedin.com/company/cadence-labs"},
            ],
        },
    )

    home = page(
        "home",
        "Home",
        [
            navbar,
            (
                "hero",
                {
                    "eyebrow": "New: the timeline view is here",
                    "heading": "Plan less. Ship more.",
                    "text": "Cadence gives your team one calm place for every project: a board for today, a timeline "
                    "for the quarter, and a Monday check-in that replaces the status meeting.",
                    "primary_label": "Start your free trial",
                    "primary_url": "/#pricing",
                    "secondary_label": "Watch the 3-minute tour",
                    "secondary_url": "#tour",
                    "image": board,
                    "layout": "split",
                },
            ),
            (
                "logo-cloud",
                {
                    "heading": "Trusted by 2,000+ small teams",
                    "logos": [{"image": asset, "name": name, "url": ""} for name, asset in logos],
                },
            ),
            (
                "feature-grid",
                {
                    "heading": "Everything your team needs. Nothing it doesn't.",
                    "intro": "Cadence replaces the sticky notes, the spreadsheet and the weekly sync with three simple tools.",
                    "anchor": "features",
                    "columns": 3,
                    "features": [
                        {
                            "icon": "check",
                            "title": "A board that stays tidy",
                            "text": "Cards move from To do to Done, and finished work archives itself every Friday.",
                        },
                        {
                            "icon": "chart",
                            "title": "Timelines without the Gantt pain",
                            "text": "Drag a project across the quarter; Cadence shifts the tasks that depend on it.",
                        },
                        {
                            "icon": "clock",
                            "title": "The Monday check-in",
                            "text": "Three questions, two minutes each. Everyone sees the answers by 10 a.m.",
                        },
                        {
                            "icon": "users",
                            "title": "Built for teams of 3 to 30",
                            "text": "No admin console, no permission maze. Invite people and get going.",
                        },
                        {
                            "icon": "lock",
                            "title": "Private by default",
                            "text": "Data stored in the EU, encrypted at rest, never used to train anything.",
                        },
                        {
                            "icon": "bolt",
                            "title": "Fast everywhere",
                            "text": "Every screen opens in under 100 ms, on the web, the desktop and your phone.",
                        },
                    ],
                },
            ),
            (
                "stats",
                {
                    "heading": "",
                    "stats": [
                        {"value": "2,000+", "label": "teams plan with Cadence"},
                        {"value": "4.5 h", "label": "saved per person each week"},
                        {"value": "99.98%", "label": "uptime over the last 12 months"},
                    ],
                },
            ),
            (
                "video-embed",
                {
                    "title": "See Cadence plan a product launch in three minutes",
                    "url": "https://video.example.com/cadence/launch-tour",
                    "thumbnail": still,
                    "description": "Maya, our head of product, plans a real launch from first idea to release day, "
                    "with the board, the timeline and one Monday check-in.",
                    "duration": "3:12",
                    "provider": "Vimeo",
                    "anchor": "tour",
                },
            ),
            (
                "pricing-table",
                {
                    "heading": "Simple pricing that grows with you",
                    "intro": "Every plan starts with a 30-day free trial. No credit card needed.",
                    "anchor": "pricing",
                    "tiers": [
                        {
                            "name": "Starter",
                            "price": "€0",
                            "period": "forever",
                            "description": "For side projects and tiny teams.",
                            "features": "Up to 3 people\n2 active projects\nBoard and check-ins\nCommunity support",
                            "cta_label": "Start for free",
                            "cta_url": "/contact/",
                            "highlighted": False,
                        },
                        {
                            "name": "Team",
                            "price": "€8",
                            "period": "per person / month",
                            "description": "For teams that ship every week.",
                            "features": "Up to 30 people\nUnlimited projects\nTimeline view\nGuest access for clients\nEmail support within a day",
                            "cta_label": "Try Team free",
                            "cta_url": "/contact/",
                            "highlighted": True,
                        },
                        {
                            "name": "Business",
                            "price": "€14",
                            "period": "per person / month",
                            "description": "For several teams, one rhythm.",
                            "features": "Everything in Team\nSingle sign-on\nAudit log and data export\nA named success manager",
                            "cta_label": "Talk to us",
                            "cta_url": "/contact/",
                            "highlighted": False,
                        },
                    ],
                    "note": "Prices exclude VAT. Non-profits and schools get 50% off: just ask.",
                },
            ),
            (
                "testimonials",
                {
                    "heading": "Teams that found their rhythm",
                    "testimonials": [
                        {
                            "quote": "We cancelled our Monday status meeting in week two. Nobody has asked for it back.",
                            "name": "Tomás Vidal",
                            "role": "Engineering lead, Northbeam",
                            "avatar": face["tomas"],
                            "rating": 5,
                        },
                        {
                            "quote": "The timeline finally matches reality, because moving one project moves everything behind it.",
                            "name": "Lea Krause",
                            "role": "Producer, Fernway Studio",
                            "avatar": face["lea"],
                            "rating": 5,
                        },
                        {
                            "quote": "Cadence is the first planning tool our designers open without being reminded.",
                            "name": "Ravi Nair",
                            "role": "Co-founder, Quillo",
                            "avatar": face["ravi"],
                            "rating": 4,
                        },
                    ],
                },
            ),
            (
                "faq",
                {
                    "heading": "Questions, answered",
                    "intro": "Something else on your mind? Write to us at hello@cadence.example.com.",
                    "anchor": "faq",
                    "open_first": True,
                    "questions": [
                        {
                            "question": "How does the free trial work?",
                            "answer": "You get every feature of the **Team** plan for 30 days. At the end you choose a plan, "
                            "or your workspace moves to Starter. Nothing is deleted.",
                        },
                        {
                            "question": "Can I import from Trello, Asana or a spreadsheet?",
                            "answer": "Yes. Cadence imports boards from Trello and Asana, and any CSV file with a title column. "
                            "Most teams are set up in under ten minutes.",
                        },
                        {
                            "question": "Where is my data stored?",
                            "answer": "In data centres in Frankfurt and Dublin, encrypted at rest and in transit. "
                            "Read the details in our [privacy notice](/privacy/).",
                        },
                        {
                            "question": "Do guests count as paid seats?",
                            "answer": "No. Clients and freelancers you invite as guests are always free.",
                        },
                        {
                            "question": "Can I cancel at any time?",
                            "answer": "Yes, from the billing page, in two clicks. You can export all your data as CSV or JSON first.",
                        },
                    ],
                },
            ),
            (
                "cta",
                {
                    "heading": "Give your team a calmer week",
                    "text": "Start your 30-day trial today. Set up takes ten minutes; the calm lasts much longer.",
                    "button_label": "Start free trial",
                    "button_url": "/#pricing",
                    "secondary_label": "Or talk to a human",
                    "secondary_url": "/contact/",
                    "tone": "bold",
                },
            ),
            footer,
        ],
        home=True,
        seo_title="Cadence: the calm project planner for small teams",
    )

    about = page(
        "about",
        "About",
        [
            navbar,
            (
                "page-header",
                {
                    "eyebrow": "Our story",
                    "heading": "Calm software for busy teams",
                    "intro": "Cadence started in 2021, when four friends grew tired of planning tools that "
                    "needed a planner of their own.",
                    "align": "left",
                },
            ),
            (
                "rich-text",
                {
                    "width": "narrow",
                    "anchor": "story",
                    "body": "## Why we built Cadence\n\nWe had run product teams at agencies and start-ups for a decade, and we "
                    "kept seeing the same thing: the tools meant to organise work had become work. Boards with forty "
                    "columns. Status meetings about the status board.\n\nSo we wrote down what a small team actually needs:\n\n"
                    "1. **One place** to see what is happening this week.\n2. **One picture** of the next three months.\n"
                    "3. **One short ritual** that keeps everybody in sync.\n\nEverything in Cadence serves one of those three. "
                    'Everything else we leave out, on purpose.\n\n> "The best planning tool is the one your team forgets it is using."\n\n'
                    "Today Cadence is a team of twelve, fully remote, with a small office in Lisbon. We are profitable, "
                    "independent and in no hurry to be anything else.",
                },
            ),
            (
                "team",
                {
                    "heading": "The people behind Cadence",
                    "intro": "",
                    "anchor": "team",
                    "members": [
                        {
                            "name": "Maya Okafor",
                            "role": "Co-founder, product",
                            "photo": face["maya"],
                            "bio": "Ran product at two agencies. Writes every release note herself.",
                            "url": "",
                        },
                        {
                            "name": "Jonas Berg",
                            "role": "Co-founder, engineering",
                            "photo": face["jonas"],
                            "bio": "Makes things fast. Has opinions about database indexes.",
                            "url": "",
                        },
                        {
                            "name": "Priya Shah",
                            "role": "Design",
                            "photo": face["priya"],
                            "bio": "Believes every screen should fit on a napkin first.",
                            "url": "",
                        },
                        {
                            "name": "Inês Costa",
                            "role": "Customer success",
                            "photo": face["ines"],
                            "bio": "Answers your emails, usually before lunch.",
                            "url": "mailto:ines@cadence.example.com",
                        },
                    ],
                },
            ),
            (
                "columns",
                {
                    "heading": "What we believe",
                    "intro": "",
                    "background": "surface",
                    "anchor": "values",
                    "columns": [
                        {
                            "heading": "Less, but better",
                            "body": "Every feature has to earn its place. We remove as often as we add.",
                        },
                        {
                            "heading": "Calm is a feature",
                            "body": "No red badges, no streaks, no guilt. Cadence works when you do.",
                        },
                        {
                            "heading": "Your data is yours",
                            "body": "Export everything, any time, in open formats. No lock-in, ever.",
                        },
                    ],
                },
            ),
            (
                "cta",
                {
                    "heading": "We are hiring a frontend engineer",
                    "text": "Remote within Europe, four-day weeks, no on-call.",
                    "button_label": "Get in touch",
                    "button_url": "/contact/",
                    "secondary_label": "",
                    "secondary_url": "",
                    "tone": "subtle",
                },
            ),
            footer,
        ],
        seo_description="The story, the people and the beliefs behind Cadence, the calm project planner.",
    )

    contact = page(
        "contact",
        "Contact",
        [
            navbar,
            (
                "page-header",
                {
                    "eyebrow": "Contact",
                    "heading": "Talk to the Cadence team",
                    "intro": "Questions about plans, a demo for your team or a partnership idea: we read everything.",
                    "align": "left",
                },
            ),
            (
                "contact-form",
                {
                    "heading": "Send us a message",
                    "intro": "We answer within one working day, usually much sooner.",
                    "action": "https://forms.cadence.example.com/contact",
                    "method": "post",
                    "anchor": "contact",
                    "submit_label": "Send message",
                    "fields": [
                        {
                            "label": "Your name",
                            "name": "name",
                            "type": "text",
                            "required": True,
                            "placeholder": "Ada Lovelace",
                        },
                        {
                            "label": "Work email",
                            "name": "email",
                            "type": "email",
                            "required": True,
                            "placeholder": "ada@company.com",
                        },
                        {
                            "label": "Company",
                            "name": "company",
                            "type": "text",
                            "required": False,
                            "placeholder": "",
                        },
                        {
                            "label": "Team size",
                            "name": "team_size",
                            "type": "number",
                            "required": False,
                            "placeholder": "12",
                        },
                        {
                            "label": "How can we help?",
                            "name": "message",
                            "type": "textarea",
                            "required": True,
                            "placeholder": "",
                        },
                    ],
                },
            ),
            (
                "columns",
                {
                    "heading": "Other ways to reach us",
                    "intro": "",
                    "background": "plain",
                    "anchor": "",
                    "columns": [
                        {
                            "heading": "Sales",
                            "body": "Plans, invoices and volume pricing.\n\n[sales@cadence.example.com](mailto:sales@cadence.example.com)",
                        },
                        {
                            "heading": "Support",
                            "body": "Stuck on something? Our help centre has answers.\n\n[Visit the help centre](https://help.cadence.example.com/)",
                        },
                        {
                            "heading": "Office",
                            "body": "Rua das Flores 28, 1200-195 Lisbon, Portugal\n\n[+351 21 000 0000](tel:+351210000000)",
                        },
                    ],
                },
            ),
            (
                "newsletter-signup",
                {
                    "heading": "The Cadence letter",
                    "action": "https://newsletter.cadence.example.com/subscribe",
                    "text": "One email a month about calmer planning, new features and the odd book recommendation.",
                    "email_label": "Email address",
                    "placeholder": "you@company.com",
                    "button_label": "Subscribe",
                    "note": "No spam. Unsubscribe with one click.",
                },
            ),
            footer,
        ],
        seo_description="Contact Cadence for sales questions, support or a demo for your team.",
    )

    privacy = page(
        "privacy",
        "Privacy",
        [
            navbar,
            (
                "page-header",
                {
                    "eyebrow": "Legal",
                    "heading": "Privacy notice",
                    "intro": "Last updated on 2 March 2026.",
                    "align": "left",
                },
            ),
            (
                "rich-text",
                {
                    "width": "narrow",
                    "anchor": "",
                    "body": "## The short version\n\nWe collect what we need to run Cadence and nothing more. We never sell your data "
                    "and never use it to train models.\n\n## What we store\n\n- Your account: name, email address and password hash.\n"
                    "- Your workspace: boards, cards, timelines and check-ins.\n- Billing details, handled by our payment provider.\n\n"
                    "## Where it lives\n\nAll data is stored in the European Union (Frankfurt and Dublin), encrypted at rest and in transit.\n\n"
                    "## Your rights\n\nYou can export or delete your data at any time from the settings page, or write to "
                    "[privacy@cadence.example.com](mailto:privacy@cadence.example.com).",
                },
            ),
            footer,
        ],
        nav=False,
        seo_description="How Cadence collects, stores and protects your data.",
    )

    site.data["pages"] = [home, about, contact, privacy]
    return site
