#!/usr/bin/env python3
"""Regenerate the held-out policydiff classification corpus.

Every pair is derived from one of two base texts by applying literal
(old_substring, new_substring) replacements; each old_substring must occur
exactly once in the text it is applied to (replacements are applied in order).

    python3 tests/corpus-holdout/make_holdout.py           # (re)write all pairs
    python3 tests/corpus-holdout/make_holdout.py --check   # verify files on disk

Standard library only; output is deterministic.
"""

import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BASES = {
    "en": ROOT / "policies" / "privacy-policy.md",
    "zh": ROOT / "tests" / "fixtures" / "zh-policy.md",
}
TRIGGER_IDS = {"processing", "ownership", "recipients", "rights", "contact", "high-risk", "triggers"}

# (name, lang, classification, triggers, note, [(old, new), ...])
CASES = [
    # ------------------------------------------------------------------ major
    (
        "en-voice-recordings-speech-models", "en", "major", ["processing"],
        "New optional voice-input feature: voice recordings (new data category) used to improve speech models "
        "(new purpose); microphone permission added to the permission list.",
        [
            ("suppliers and other partners.\n\n( 5 ) Based on",
             "suppliers and other partners.\n\n"
             "( 4 ) Voice input: If you choose to dictate search queries or feedback, we will process your voice "
             "recordings to convert them into text, and we may use your voice recordings to improve our speech "
             "models.\n\n( 5 ) Based on"),
            ("camera (camera), photo album (photo gallery),",
             "camera (camera), microphone (microphone), photo album (photo gallery),"),
        ],
    ),
    (
        "zh-chat-log-retention-24-months", "zh", "major", ["processing"],
        "Retention clause extended: customer-service chat logs kept for 24 months although the general cap is "
        "six months (changed retention period; chat logs also a newly mentioned data category).",
        [
            ("最长不超过六个月。",
             "最长不超过六个月；但您与在线客服的聊天记录将自会话结束之日起保存24个月，用于处理争议和改进服务质量。"),
        ],
    ),
    (
        "en-acquisition-halvorsen-new-mailbox", "en", "major", ["contact", "ownership"],
        "Acquisition by a group plc, services now operated by a subsidiary (ownership/new operator); the "
        "privacy contact mailbox moves to the acquirer's domain (contact). Two triggers in one revision.",
        [
            ("we will delete the collected personal information of the child.\n\n## definition",
             "we will delete the collected personal information of the child.\n\n"
             "6. Following the completion of our acquisition by Halvorsen Group plc, the products and / or services "
             "covered by this Privacy Policy are operated by Halvorsen Digital Services Ltd, a wholly owned "
             "subsidiary of Halvorsen Group plc, which is now responsible for the processing of your personal "
             "information.\n\n## definition"),
            ("You can contact us via email: lvyanjing1122@163.com",
             "You can contact our privacy team via email: privacy@halvorsen-group.example"),
        ],
    ),
    (
        "zh-operating-entity-changed", "zh", "major", ["ownership"],
        "业务主体变更: a new operating entity becomes the personal-information handler after a business "
        "adjustment. Arguably also implies a transfer, but the policy's own list files this under ownership.",
        [
            ("更新日期：2025年3月1日\n",
             "更新日期：2025年3月1日\n\n"
             "因业务调整，自2025年4月1日起，本产品的业务主体变更为星河云联（深圳）科技有限公司，"
             "由其作为个人信息处理者继续按照本政策为您提供服务。\n"),
        ],
    ),
    (
        "en-disclose-to-insurers-auditors", "en", "major", ["recipients"],
        "New exception to the no-sharing rule: disclosure to insurers and auditors (new recipient categories; "
        "sharing newly allowed outside the complaint/due-diligence context of item 3).",
        [
            ("( 2 ) Providing information when necessary in accordance with applicable laws and regulations, legal "
             "procedures, or administrative or judicial authorities.",
             "( 2 ) Providing information when necessary in accordance with applicable laws and regulations, legal "
             "procedures, or administrative or judicial authorities;\n\n"
             "( 3 ) We may disclose your personal information to our insurers and auditors to the extent reasonably "
             "required for them to assess claims, audit our accounts or otherwise advise us."),
        ],
    ),
    (
        "zh-overseas-partner-sms", "zh", "major", ["recipients"],
        "向境外合作方提供: new cross-border recipient for the phone number (already collected). Could also be "
        "read as cross-border processing; labelled recipients only because the storage clause is unchanged "
        "and no new data or purpose is added beyond delivery of verification SMS.",
        [
            ("（2）根据法律法规或主管机关的要求对外提供。",
             "（2）根据法律法规或主管机关的要求对外提供；\n\n"
             "（3）当您在境外使用本服务时，为向您发送短信验证码，我们会向境外合作方提供您的手机号码。"),
        ],
    ),
    (
        "en-withdraw-consent-written-letter", "en", "major", ["rights"],
        "Withdrawal of consent restricted to a written letter by post (new condition on exercising a right).",
        [
            ("You can give or withdraw your authorization consent for the collection and use of additional "
             "personal information at any time.",
             "You can give your authorization consent for the collection and use of additional personal "
             "information at any time; however, you may only withdraw consent by written letter sent by post to "
             "our registered office, and withdrawal takes effect once we have confirmed receipt."),
        ],
    ),
    (
        "zh-right-to-delete-removed", "zh", "major", ["rights"],
        "删除权 removed from the list of user rights (access and correction remain).",
        [
            ("1. 您有权访问、更正、删除您的个人信息。", "1. 您有权访问、更正您的个人信息。"),
        ],
    ),
    (
        "zh-account-cancellation-60-days", "zh", "major", ["rights"],
        "Account-cancellation handling deadline lengthened from 15 working days to 60 days from receipt.",
        [
            ("我们将在15个工作日内完成核查和处理。", "我们将在收到申请之日起60日内完成核查和处理。"),
        ],
    ),
    (
        "en-dpo-appointed", "en", "major", ["contact"],
        "Data Protection Officer appointed as the responsible contact; new e-mail and postal address replace "
        "the old mailbox.",
        [
            ("You can contact us via email: lvyanjing1122@163.com",
             "We have appointed a Data Protection Officer who is responsible for personal information protection "
             "matters. You can reach our Data Protection Officer via email: dpo@lumenapps.example, or by post: "
             "Data Protection Officer, 18 Harbour Road, Singapore 039594."),
        ],
    ),
    (
        "zh-complaint-hotline-email-domain", "zh", "major", ["contact"],
        "E-mail domain changed (example.cn -> example.com.cn) and a new dedicated complaint hotline added.",
        [
            ("请通过电子邮件 privacy@example.cn 或电话 400-800-1234 与我们联系。",
             "请通过电子邮件 privacy@example.com.cn 或电话 400-800-1234 与我们联系。"
             "如需投诉，请拨打个人信息保护投诉专线 400-966-3150。"),
        ],
    ),
    (
        "en-assessment-high-risk-clipboard", "en", "major", ["high-risk"],
        "Statement that the latest security impact assessment found a high risk (clipboard feature); "
        "remediation described, processing itself unchanged.",
        [
            ("destroy or anonymize the personal information we hold.",
             "destroy or anonymize the personal information we hold.\n\n"
             "4. Our most recent personal information security impact assessment concluded that the clipboard "
             "collection feature described in Part 1 presents a high risk to your rights and interests. We are "
             "putting additional safeguards in place and will report on their progress in the next revision of "
             "this policy."),
        ],
    ),
    (
        "zh-assessment-high-risk-logs", "zh", "major", ["high-risk"],
        "个人信息保护影响评估 states the centralised login-log storage system is high risk; rectification ongoing.",
        [
            ("3. 我们采用加密传输、访问控制等安全措施保护您的个人信息。",
             "3. 我们采用加密传输、访问控制等安全措施保护您的个人信息。\n\n"
             "4. 根据我们于2025年5月完成的个人信息保护影响评估，登录日志集中存储系统存在高风险，"
             "相关整改工作正在进行中。"),
        ],
    ),
    (
        "en-trigger-list-drops-contact-item", "en", "major", ["triggers"],
        "Major-change list loses item (5) (contact/complaint channel changes); item (6) renumbered to (5). "
        "Edits to the list itself fire only `triggers`.",
        [
            ("( 5 ) When our responsible department for handling personal information security, contact "
             "information and complaint channels change;\n\n( 6 ) When the personal",
             "( 5 ) When the personal"),
        ],
    ),
    (
        "zh-trigger-list-narrowed-recipients", "zh", "major", ["triggers"],
        "Major-change item (3) narrowed: recipient changes count only if 'significant and likely to adversely "
        "affect you'. Only `triggers` fires, despite the recipients vocabulary.",
        [
            ("（3）个人信息共享、转让或公开披露的主要对象发生变化；",
             "（3）个人信息共享、转让或公开披露的主要对象发生重大变化，且可能对您的权益产生不利影响；"),
        ],
    ),
    # ------------------------------------------------------------------ minor
    (
        "en-never-sell-promise", "en", "minor", [],
        "New self-restriction 'we will never sell your personal information' (favours users).",
        [
            ("### 1. Sharing\n\n",
             "### 1. Sharing\n\nWe do not sell, and we will never sell, your personal information to anyone.\n\n"),
        ],
    ),
    (
        "zh-cancellation-deadline-shortened", "zh", "minor", [],
        "Account-cancellation deadline shortened from 15 to 10 working days (favours users).",
        [
            ("我们将在15个工作日内完成核查和处理。", "我们将在10个工作日内完成核查和处理。"),
        ],
    ),
    (
        "en-assessment-found-no-high-risk", "en", "minor", [],
        "Negated assessment: the impact assessment found no high risk. Contains the trigger vocabulary but "
        "does not indicate a high risk.",
        [
            ("destroy or anonymize the personal information we hold.",
             "destroy or anonymize the personal information we hold.\n\n"
             "4. Our most recent personal information security impact assessment, completed in June 2025, found "
             "no high risk to your personal information."),
        ],
    ),
    (
        "zh-assessment-no-high-risk", "zh", "minor", [],
        "Negated assessment: 影响评估未发现高风险. Contains 高风险 but does not state one exists.",
        [
            ("3. 我们采用加密传输、访问控制等安全措施保护您的个人信息。",
             "3. 我们采用加密传输、访问控制等安全措施保护您的个人信息。\n\n"
             "4. 根据最近一次个人信息安全影响评估，我们未发现存在高风险的个人信息处理活动。"),
        ],
    ),
    (
        "en-mfa-and-key-rotation", "en", "minor", [],
        "Added security measures (MFA for admin access, key rotation every 90 days). The '90 days' is not a "
        "retention or response period.",
        [
            ("monitoring and auditing mechanisms.",
             "monitoring and auditing mechanisms. We also require multi-factor authentication for all "
             "administrative access to systems holding personal information, and we rotate our encryption keys "
             "at least every 90 days."),
        ],
    ),
    (
        "zh-more-security-measures", "zh", "minor", [],
        "Security-measure list extended (加密存储、安全审计、多因素身份认证).",
        [
            ("3. 我们采用加密传输、访问控制等安全措施保护您的个人信息。",
             "3. 我们采用加密传输、加密存储、访问控制、安全审计及多因素身份认证等安全措施保护您的个人信息。"),
        ],
    ),
    (
        "en-backup-note-moved", "en", "minor", [],
        "The 'Please note: ... backup system' paragraph moved from the end to the start of the 'Deleting your "
        "personal information' subsection, text unchanged. Debatable: a pure move might be treated as none; "
        "labelled minor because moves are not in the editorial list.",
        [
            ("#### (III) Deleting your personal information\n\n",
             "#### (III) Deleting your personal information\n\n"
             "Please note: When you delete information from our services, we may not immediately delete the "
             "corresponding information from the backup system, but we will delete the information when the "
             "backup is updated.\n\n"),
            ("( 3 ) If we no longer provide you with products and / or services\n\n"
             "Please note: When you delete information from our services, we may not immediately delete the "
             "corresponding information from the backup system, but we will delete the information when the "
             "backup is updated.\n\n",
             "( 3 ) If we no longer provide you with products and / or services\n\n"),
        ],
    ),
    (
        "zh-effective-date-bumped", "zh", "minor", [],
        "Only the effective/update date changes (front matter and body). Debatable: some would call a bare "
        "date bump none; labelled minor because it is a content change outside the editorial list.",
        [
            ("effective: 2025-03-01", "effective: 2025-06-15"),
            ("更新日期：2025年3月1日", "更新日期：2025年6月15日"),
        ],
    ),
    (
        "en-affiliate-sharing-reworded", "en", "minor", [],
        "Rewording of the affiliate-sharing limitation with the same substance (share/affiliates/purposes "
        "vocabulary; no new recipient or purpose).",
        [
            ("We will only share necessary personal information and will be subject to the purposes stated in "
             "this Privacy Policy.",
             "Any such sharing is limited to the personal information that is necessary and remains bound by the "
             "purposes stated in this Privacy Policy."),
        ],
    ),
    (
        "zh-no-ads-no-profiling", "zh", "minor", [],
        "New self-restriction: personal information will not be used for personalised advertising or user "
        "profiling (advertising/profiling vocabulary, but it rules the use out).",
        [
            ("（三）我们仅会出于本政策所述目的收集和使用您的个人信息。",
             "（三）我们仅会出于本政策所述目的收集和使用您的个人信息，"
             "不会将您的个人信息用于个性化广告推送或用户画像。"),
        ],
    ),
    (
        "en-working-days-clarified", "en", "minor", [],
        "Clarifies that 'working days' exclude weekends and public holidays; the 15-working-day deadline is "
        "unchanged.",
        [
            ("within [ 15 ] working days from the date of receipt",
             "within [ 15 ] working days (excluding weekends and public holidays) from the date of receipt"),
        ],
    ),
    # ------------------------------------------------------------------- none
    (
        "en-spacing-cleanup", "en", "none", [],
        "Whitespace before punctuation removed in several places (date line, list marker, commas).",
        [
            ("2025 .7 .9", "2025.7.9"),
            ("( 1 ) Obtain your explicit consent", "(1) Obtain your explicit consent"),
            ("products and / or services provided , such as", "products and / or services provided, such as"),
            ("third-party services , or other websites", "third-party services, or other websites"),
        ],
    ),
    (
        "zh-identical", "zh", "none", [],
        "Identical files.",
        [],
    ),
    (
        "en-section-renumbering", "en", "none", [],
        "Top-level sections renumbered IV-VII -> III-VI (closing the gap after II) and the (5) item in Part I "
        "renumbered (4).",
        [
            ("## IV. How do we safely protect", "## III. How do we safely protect"),
            ("## V. How do you access", "## IV. How do you access"),
            ("## VI. Notice and Revision", "## V. Notice and Revision"),
            ("## VII. Contact Us", "## VI. Contact Us"),
            ("( 5 ) Based on the information collected", "( 4 ) Based on the information collected"),
        ],
    ),
    (
        "zh-trigger-list-halfwidth", "zh", "none", [],
        "Full-width brackets/semicolons in the major-change list changed to half-width. Editorial edit inside "
        "the trigger list: must not fire `triggers`.",
        [
            ("（1）我们的服务模式", "(1)我们的服务模式"),
            ("（2）我们在所有权结构", "(2)我们在所有权结构"),
            ("（3）个人信息共享", "(3)个人信息共享"),
            ("（4）您参与个人信息处理", "(4)您参与个人信息处理"),
            ("（5）我们负责处理", "(5)我们负责处理"),
            ("（6）个人信息安全影响评估", "(6)个人信息安全影响评估"),
            ("个人信息的使用方式等；", "个人信息的使用方式等;"),
            ("引起的所有者变更等；", "引起的所有者变更等;"),
        ],
    ),
    (
        "en-case-and-emphasis", "en", "none", [],
        "Letter case of two headings and Markdown emphasis only.",
        [
            ("## definition", "## Definition"),
            ("## VII. Contact Us", "## VII. CONTACT US"),
            ("Please note: When you delete", "**Please note:** When you delete"),
            ("Sensitive personal information refers to", "*Sensitive personal information* refers to"),
        ],
    ),
    (
        "zh-whitespace-and-bold", "zh", "none", [],
        "Space between Latin and CJK removed, extra spaces, Markdown bold on 重大变化.",
        [
            ("包括 IP 地址、访问时间", "包括IP地址、访问时间"),
            ("对于重大变化，", "对于**重大变化**，"),
            ("2. 您可以随时撤回", "2.  您可以随时撤回"),
        ],
    ),
]

# Stable order: major cases interleaved with traps so a directory listing is not grouped by label.
ORDER = [
    "en-voice-recordings-speech-models", "zh-identical", "zh-cancellation-deadline-shortened",
    "zh-operating-entity-changed", "en-never-sell-promise", "en-section-renumbering",
    "zh-right-to-delete-removed", "en-assessment-found-no-high-risk", "en-disclose-to-insurers-auditors",
    "zh-trigger-list-halfwidth", "zh-assessment-high-risk-logs", "en-affiliate-sharing-reworded",
    "en-withdraw-consent-written-letter", "zh-assessment-no-high-risk", "zh-overseas-partner-sms",
    "en-spacing-cleanup", "en-dpo-appointed", "zh-more-security-measures", "en-trigger-list-drops-contact-item",
    "en-backup-note-moved", "zh-chat-log-retention-24-months", "zh-effective-date-bumped",
    "en-assessment-high-risk-clipboard", "en-case-and-emphasis", "zh-complaint-hotline-email-domain",
    "zh-no-ads-no-profiling", "en-acquisition-halvorsen-new-mailbox", "en-mfa-and-key-rotation",
    "zh-trigger-list-narrowed-recipients", "zh-whitespace-and-bold", "zh-account-cancellation-60-days",
    "en-working-days-clarified",
]


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def apply(text, replacements, name):
    for old, new in replacements:
        n = text.count(old)
        assert n == 1, f"{name}: expected exactly one occurrence, found {n}: {old!r}"
        text = text.replace(old, new)
    return text


def build():
    by_name = {c[0]: c for c in CASES}
    assert len(by_name) == len(CASES), "duplicate case names"
    assert sorted(ORDER) == sorted(by_name), "ORDER must list every case exactly once"
    bases = {lang: read(p) for lang, p in BASES.items()}
    out = {}
    for i, name in enumerate(ORDER, 1):
        _, lang, cls, triggers, note, reps = by_name[name]
        assert cls in ("major", "minor", "none"), name
        assert set(triggers) <= TRIGGER_IDS, name
        assert (cls == "major") == bool(triggers), name
        old = bases[lang]
        new = apply(old, reps, name)
        assert (new == old) == (not reps), f"{name}: replacements produced no change"
        labels = {"classification": cls, "triggers": sorted(triggers), "lang": lang, "note": note}
        d = f"{i:03d}-{name}"
        out[d] = {
            "old.md": old,
            "new.md": new,
            "labels.json": json.dumps(labels, ensure_ascii=False, indent=2) + "\n",
        }
    return out


def main(argv):
    check = "--check" in argv
    out = build()
    bad = []
    for d, files in out.items():
        for fname, content in files.items():
            p = HERE / d / fname
            if check:
                if not p.exists() or read(p) != content:
                    bad.append(str(p.relative_to(ROOT)))
            else:
                p.parent.mkdir(parents=True, exist_ok=True)
                with open(p, "w", encoding="utf-8", newline="") as f:
                    f.write(content)
    stale = sorted(x.name for x in HERE.iterdir() if x.is_dir() and x.name[:3].isdigit() and x.name not in out)
    if stale:
        bad += [f"stale directory: {s}" for s in stale]
    counts = {}
    for d in out:
        lab = json.loads(out[d]["labels.json"])
        counts[(lab["classification"], lab["lang"])] = counts.get((lab["classification"], lab["lang"]), 0) + 1
    summary = ", ".join(f"{c}/{l}={n}" for (c, l), n in sorted(counts.items()))
    if bad:
        print("mismatch:\n  " + "\n  ".join(bad), file=sys.stderr)
        return 1
    print(f"{'checked' if check else 'wrote'} {len(out)} pairs ({summary})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
