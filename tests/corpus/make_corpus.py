#!/usr/bin/env python3
"""Generate the labelled policydiff test corpus.

Each pair is (name, lang, replacements, classification, triggers, note).
``replacements`` is a list of (old_substring, new_substring); every
old_substring must occur exactly once in the base text (asserted), so the
script fails loudly if a base policy changes.  Replacements are applied in
order to the evolving text; the uniqueness check is done on the text at the
moment each replacement is applied.

Bases:
  en -> policies/privacy-policy.md
  zh -> tests/fixtures/zh-policy.md
  zhr-inline, zhr-table -> tests/corpus/bases/zh-real-*.md: our own Chinese
      policies written to reproduce the structures of real Chinese policies
      (operator named in the introduction, a third-party SDK list as numbered
      blocks or a table, the list of major changes in one paragraph or as
      `1、` items, contact clauses mixing a channel and a deadline). No real
      policy text is used. Their pairs are named `zhr-…` and labelled `zh`.

Run from anywhere:  python3 tests/corpus/make_corpus.py
Standard library only, deterministic output.
"""

import json
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
BASES = {
    "en": os.path.join(ROOT, "policies", "privacy-policy.md"),
    "zh": os.path.join(ROOT, "tests", "fixtures", "zh-policy.md"),
    "zhr-inline": os.path.join(HERE, "bases", "zh-real-inline.md"),
    "zhr-table": os.path.join(HERE, "bases", "zh-real-table.md"),
}
TRIGGERS = {"processing", "ownership", "recipients", "rights", "contact", "high-risk", "triggers"}
CLASSES = {"major", "minor", "none"}


def P(name, lang, repl, cls, triggers, note):
    return dict(name=name, lang=lang, base=lang, repl=repl, cls=cls, triggers=sorted(triggers), note=note)


def R(name, base, repl, cls, triggers, note):
    """A pair on a Chinese real-structure base (labelled lang zh)."""
    return dict(name=name, lang="zh", base=base, repl=repl, cls=cls, triggers=sorted(triggers), note=note)


# ---------------------------------------------------------------------------
# English pairs
# ---------------------------------------------------------------------------
EN = [
    # ---- processing -------------------------------------------------------
    P("en-processing-location-collected", "en", [
        ("4 ) [Collect user clipboard] In order to facilitate your quick and efficient feedback , we may obtain your clipboard data for content filling.\n",
         "4 ) [Collect user clipboard] In order to facilitate your quick and efficient feedback , we may obtain your clipboard data for content filling.\n\n"
         "5 ) [Location Information] In order to recommend nearby content and services to you, we will collect your precise geographic location information (GPS coordinates) while you use this product and / or service.\n"),
    ], "major", ["processing"],
      "Adds precise GPS location as a newly collected category in the automatically collected information list: a new type of personal information processed."),

    P("en-processing-personalised-ads", "en", [
        ("and to realize the functions of our products and / or services.\n",
         "and to realize the functions of our products and / or services, and to analyse your preferences and usage behaviour in order to show you personalised advertisements.\n"),
    ], "major", ["processing"],
      "Adds profiling and personalised advertising as a new purpose in the rules for use of personal information."),

    P("en-processing-ai-training", "en", [
        ("the processed information cannot be restored.\n",
         "the processed information cannot be restored. We may use such de-identified information, together with the content you submit, to train and improve our artificial intelligence models.\n"),
    ], "major", ["processing"],
      "Adds AI model training on de-identified data and user-submitted content as a new purpose of processing."),

    P("en-processing-storage-abroad", "en", [
        ("We will not provide or store personal information outside the territory of the People's Republic of China.",
         "We will not provide personal information to any recipient outside the territory of the People's Republic of China; however, to ensure service continuity, we may store backup copies of personal information in our own data centre in Singapore."),
    ], "major", ["processing"],
      "Allows cross-border storage in the operator's own Singapore data centre (was: never stored outside China); recipients deliberately not labelled because the text keeps the ban on providing data to foreign recipients."),

    P("en-processing-retention-fixed-5y", "en", [
        ("such as to provide you with services or to meet applicable legal, tax and financial requirements.",
         "such as to provide you with services or to meet applicable legal, tax and financial requirements. Account and log information will be retained for five years after you stop using our products and / or services."),
    ], "major", ["processing"],
      "Replaces 'only as long as necessary' with a fixed five-year retention after the user stops using the service: a changed (longer) retention period."),

    P("en-processing-no-longer-anonymous", "en", [
        ("The above information is collected and stored anonymously.",
         "The above information is collected and stored in association with your account and mobile phone number."),
    ], "major", ["processing"],
      "Device/log/clipboard data is no longer stored anonymously but linked to the account and phone number: the way personal information is used changes, without any trigger keyword in the edit."),

    # ---- ownership --------------------------------------------------------
    P("en-ownership-acquired-by-holdings", "en", [
        ("We will continue to be committed to providing you with safer and more reliable services.\n",
         "We will continue to be committed to providing you with safer and more reliable services. Following the completion of the acquisition of our company by Example Holdings Ltd., our company has become a wholly-owned subsidiary of Example Holdings Ltd.\n"),
    ], "major", ["ownership"],
      "Announces a completed acquisition making the company a subsidiary of Example Holdings Ltd.: change of ownership structure."),

    P("en-ownership-restructuring-parent-operator", "en", [
        ("and we will delete the collected personal information of the child.\n",
         "and we will delete the collected personal information of the child.\n\n"
         "6. As a result of an internal restructuring, our products and / or services are now operated by our parent company, Example Group Co., Ltd., which is responsible for processing your personal information under this Privacy Policy.\n"),
    ], "major", ["ownership"],
      "New Special Tips item: after a restructuring the parent company becomes the operator/controller, an organisational-structure change."),

    P("en-ownership-merger-new-operator", "en", [
        ("2025 .7 .9\n",
         "2025 .7 .9\n\n"
         "We have merged with Beta Technology Co., Ltd. With effect from the date of this version, the merged company, Beta Technology Co., Ltd., is the operator of our products and / or services.\n"),
    ], "major", ["ownership"],
      "Preamble announcing a merger and a new operator entity (Beta Technology Co., Ltd.)."),

    # ---- recipients -------------------------------------------------------
    P("en-recipients-will-not-to-may-share", "en", [
        ("1. We will not share your personal information with any company, organization or individual other than us and our affiliates, except in the following circumstances:",
         "1. We may share your personal information with our business partners and other companies, organizations or individuals, including in the following circumstances:"),
    ], "major", ["recipients"],
      "The sharing clause flips from a prohibition with closed exceptions ('will not share ... except') to a permission ('may share ... including'), opening sharing to business partners and others."),

    P("en-recipients-named-analytics-partner", "en", [
        ("2. You understand and agree that we may share your personal information with our affiliates for the purpose of",
         "2. You understand and agree that we may share your personal information with our affiliates and with our analytics partner Acme Analytics Inc. for the purpose of"),
    ], "major", ["recipients"],
      "Adds a named third-party recipient (Acme Analytics Inc.) to the affiliate-sharing clause; purposes are unchanged so processing is not labelled (debatable: some would add processing for analytics)."),

    P("en-recipients-payment-logistics-exception", "en", [
        ("( 2 ) Providing information when necessary in accordance with applicable laws and regulations, legal procedures, or administrative or judicial authorities.\n",
         "( 2 ) Providing information when necessary in accordance with applicable laws and regulations, legal procedures, or administrative or judicial authorities.\n\n"
         "( 3 ) Sharing with payment service providers and logistics companies to the extent necessary to complete your orders.\n"),
    ], "major", ["recipients"],
      "Adds a new exception to the no-sharing rule covering new categories of recipients (payment providers, logistics companies)."),

    P("en-recipients-public-leaderboard", "en", [
        ("Subject to the permission of laws and regulations, the documents we disclose are protected by encryption keys.\n",
         "Subject to the permission of laws and regulations, the documents we disclose are protected by encryption keys.\n\n"
         "3. Your nickname, profile picture and usage ranking may be displayed publicly on our leaderboards and community pages.\n"),
    ], "major", ["recipients"],
      "Adds a new public-disclosure case (nickname, avatar, ranking shown publicly): the public becomes a recipient; debatable whether processing (new use) also fires, labelled recipients only."),

    # ---- rights -----------------------------------------------------------
    P("en-rights-deadline-15-to-30", "en", [
        ("within [ 15 ] working days", "within [ 30 ] working days"),
    ], "major", ["rights"],
      "Response deadline for rights requests doubled from 15 to 30 working days: a worse way of exercising rights."),

    P("en-rights-deletion-ground-removed", "en", [
        ("( 2 ) If you no longer use our products and / or services, or you cancel your account;\n\n", ""),
    ], "major", ["rights"],
      "Removes the ground to request deletion after stopping use / cancelling the account: the deletion right is restricted."),

    P("en-rights-access-fee", "en", [
        ("the contact information indicated in the “How to Contact Us” section .",
         "the contact information indicated in the “How to Contact Us” section . We may charge a reasonable fee of RMB 50 for each such request."),
    ], "major", ["rights"],
      "Introduces a fee for access requests: a new condition on exercising the access right."),

    P("en-rights-new-refusal-ground", "en", [
        ("( 8 ) Infringement of trade secrets.",
         "( 8 ) Infringement of trade secrets;\n\n( 9 ) Requests that we reasonably consider to be repetitive, excessive or technically impractical."),
    ], "major", ["rights"],
      "Adds a broad, discretionary ground for refusing rights requests: rights restricted."),

    P("en-rights-no-reduction-commitment-weakened", "en", [
        ("However, without your explicit consent, we will not reduce the rights you should enjoy under this Privacy Policy.",
         "We may adjust the rights you enjoy under this Privacy Policy where required by our business development."),
    ], "major", ["rights"],
      "Replaces the commitment not to reduce users' rights without consent by a unilateral power to adjust them: weakened commitment on rights (the trigger list itself is untouched)."),

    # ---- contact ----------------------------------------------------------
    P("en-contact-email-changed", "en", [
        ("lvyanjing1122@163.com", "privacy@example.com"),
    ], "major", ["contact"],
      "The only contact email address is replaced."),

    P("en-contact-dpo-added", "en", [
        ("You can contact us via email: lvyanjing1122@163.com\n",
         "You can contact us via email: lvyanjing1122@163.com\n\n"
         "We have appointed a Data Protection Officer, who is responsible for personal information protection. You may contact the Data Protection Officer at dpo@example.com.\n"),
    ], "major", ["contact"],
      "Adds a Data Protection Officer (responsible person) with a new email address."),

    P("en-contact-phone-and-post-added", "en", [
        ("You can contact us via email: lvyanjing1122@163.com",
         "You can contact us via email: lvyanjing1122@163.com, by phone at 400-123-4567, or by post at Privacy Office, 88 Example Road, Haidian District, Beijing"),
    ], "major", ["contact"],
      "Adds a phone number and a postal address as new contact channels (additions, not removals, but the contact details change)."),

    # ---- high-risk --------------------------------------------------------
    P("en-high-risk-assessment-clipboard", "en", [
        ("and destroy or anonymize the personal information we hold.\n",
         "and destroy or anonymize the personal information we hold.\n\n"
         "4. Our latest personal information security impact assessment found that the processing of clipboard data carries a high risk to your rights and interests. We are implementing additional measures to reduce this risk.\n"),
    ], "major", ["high-risk"],
      "States that the security impact assessment found a high risk (clipboard processing, which is already disclosed, so processing does not fire)."),

    P("en-high-risk-report-reidentification", "en", [
        ("to protect the security of your personal information and other information.\n",
         "to protect the security of your personal information and other information.\n\n"
         "5. The personal information security impact assessment report for our account association feature indicates a high risk that de-identified information could be re-identified.\n"),
    ], "major", ["high-risk"],
      "New item in the use rules: the impact assessment report indicates a high re-identification risk (different wording from the other high-risk pair)."),

    # ---- triggers (the list of major changes) -----------------------------
    P("en-triggers-item6-removed", "en", [
        ("( 6 ) When the personal information security impact assessment report indicates that there is a high risk.\n\n", ""),
    ], "major", ["triggers"],
      "Deletes item (6) from the list of major changes; the deleted text mentions 'high risk' but no assessment result is stated, so high-risk does not fire."),

    P("en-triggers-item7-ai-added", "en", [
        ("( 6 ) When the personal information security impact assessment report indicates that there is a high risk.\n",
         "( 6 ) When the personal information security impact assessment report indicates that there is a high risk;\n\n"
         "( 7 ) When we begin to use personal information to train artificial intelligence models.\n"),
    ], "major", ["triggers"],
      "Adds an AI-training item to the list of major changes; this only extends notification duties and does not itself start AI training, so processing does not fire (keyword trap)."),

    P("en-triggers-item3-narrowed", "en", [
        ("( 3 ) The main objects of sharing, transfer or public disclosure of personal information have changed;",
         "( 3 ) The main objects of sharing, transfer or public disclosure of sensitive personal information have changed;"),
    ], "major", ["triggers"],
      "Narrows list item (3) to sensitive personal information only; actual recipients are unchanged, so only triggers fires."),

    # ---- two triggers at once --------------------------------------------
    P("en-multi-acquisition-and-new-email", "en", [
        ("We will continue to be committed to providing you with safer and more reliable services.\n",
         "We will continue to be committed to providing you with safer and more reliable services. We are now part of Example Holdings Ltd., which has acquired all of our shares.\n"),
        ("lvyanjing1122@163.com", "privacy@exampleholdings.com"),
    ], "major", ["contact", "ownership"],
      "Acquisition by Example Holdings Ltd. plus a new contact email: two independent triggers."),

    P("en-multi-crossborder-provision", "en", [
        ("We will not provide or store personal information outside the territory of the People's Republic of China.",
         "We may provide your personal information to our affiliates and service providers located outside the territory of the People's Republic of China, who may store and process it abroad."),
    ], "major", ["processing", "recipients"],
      "Cross-border provision to foreign affiliates and service providers: cross-border processing (processing) and new overseas recipients (recipients)."),

    P("en-multi-ads-partner-location", "en", [
        ("( 2 ) Providing information when necessary in accordance with applicable laws and regulations, legal procedures, or administrative or judicial authorities.\n",
         "( 2 ) Providing information when necessary in accordance with applicable laws and regulations, legal procedures, or administrative or judicial authorities.\n\n"
         "( 3 ) Sharing your approximate location and device identifiers with our advertising partner Acme Ads Ltd. so that it can show you personalised advertisements.\n"),
    ], "major", ["processing", "recipients"],
      "New sharing exception to a named advertising partner for personalised ads: new recipient plus a new advertising purpose."),

    P("en-multi-triggers-and-rights", "en", [
        (" However, without your explicit consent, we will not reduce the rights you should enjoy under this Privacy Policy.", ""),
        ("( 4 ) There are significant changes in your rights to participate in the processing of personal information and how you exercise them;\n\n", ""),
    ], "major", ["rights", "triggers"],
      "Deletes the no-reduction-of-rights commitment (rights: weakened commitment) and item (4) of the major-change list (triggers)."),

    P("en-multi-rights-channel-to-web-form", "en", [
        ("through \"Me - Feedback\" and \"Help and Feedback - Contact Us\" online feedback .",
         "through the online request form at https://privacy.example.com/requests ."),
    ], "major", ["contact", "rights"],
      "The in-app channels for exercising access/correction/deletion are replaced by a web form: how rights are exercised changes (rights) and a contact/complaint channel changes (contact); debatable whether contact fires since the 'Contact Us' section is untouched."),
]

# ---------------------------------------------------------------------------
# English negatives / traps
# ---------------------------------------------------------------------------
EN_NEG = [
    P("en-none-identical", "en", [], "none", [],
      "Identical copy: control pair."),

    P("en-none-renumber-and-heading-markers", "en", [
        ("( 5 ) Based on the information collected from your various devices", "( 4 ) Based on the information collected from your various devices"),
        ("#### 1. Accessing your personal information", "#### (I) Accessing your personal information"),
        ("#### 4. Cancel your account", "#### (IV) Cancel your account"),
    ], "none", [],
      "Only renumbering: the skipped item (5) becomes (4), and two sub-heading numbers get the same (I)/(IV) style as their siblings."),

    P("en-none-spacing-and-case", "en", [
        ("third-party services , or other websites", "third-party services, or other websites"),
        ("## definition\n", "## Definition\n"),
        ("unique device identifier IMEI , network", "unique device identifier IMEI, network"),
    ], "none", [],
      "Editorial only: removes spaces before commas and capitalises a heading."),

    P("en-none-markdown-emphasis-heading-level", "en", [
        ("2. [Sensitive Personal Information] Sensitive personal information refers",
         "2. **[Sensitive Personal Information]** Sensitive personal information refers"),
        ("#### 1. Storage location\n", "### 1. Storage location\n"),
    ], "none", [],
      "Editorial only: bold emphasis on a defined term and a heading level change."),

    P("en-none-list-marker-spacing", "en", [
        ("3 ) [Modify / delete SD card content", "3) [Modify / delete SD card content"),
        ("4 ) [Collect user clipboard]", "4) [Collect user clipboard]"),
    ], "none", [],
      "List-marker spacing of items 3 and 4 made consistent with '1)' and '2)': editorial only."),

    P("en-minor-moved-paragraph-same-section", "en", [
        ("Our network service adopts encryption technologies such as Transport Layer Security Protocol, and provides security services through https and message body encryption to ensure the security of data during transmission.\n\n"
         "We use a variety of encryption technologies to encrypt and store user personal information, and isolate the storage media or information systems containing user personal information through logical or physical isolation.\n",
         "We use a variety of encryption technologies to encrypt and store user personal information, and isolate the storage media or information systems containing user personal information through logical or physical isolation.\n\n"
         "Our network service adopts encryption technologies such as Transport Layer Security Protocol, and provides security services through https and message body encryption to ensure the security of data during transmission.\n"),
    ], "minor", [],
      "Two security paragraphs swapped, text identical. Debatable: no meaning changes, so 'none' is defensible, but moves are not in the editorial list, so labelled minor."),

    P("en-minor-sharing-rewording", "en", [
        ("We will only share necessary personal information and will be subject to the purposes stated in this Privacy Policy.",
         "We will share only the personal information that is necessary, and only for the purposes stated in this Privacy Policy."),
    ], "minor", [],
      "Same-meaning rewording inside the Sharing section; recipients and purposes unchanged."),

    P("en-minor-rights-rewording", "en", [
        ("If you find that the personal information we process about you is incorrect, you have the right to ask us to make corrections.",
         "If you discover that any personal information we process about you is inaccurate, you are entitled to request that we correct it."),
    ], "minor", [],
      "Same-meaning rewording of the correction right; the right and how it is exercised are unchanged."),

    P("en-minor-date-only", "en", [
        ("effective: 2025-07-09", "effective: 2025-08-01"),
        ("2025 .7 .9\n", "2025 .8 .1\n"),
    ], "minor", [],
      "Only the effective/version date changes. Debatable: a lawyer sees no substantive change ('none' defensible), but a date is not an editorial class in the spec, so labelled minor."),

    P("en-minor-independent-audits", "en", [
        ("We implement comprehensive security controls on data through confidentiality agreements with information contacts, monitoring and auditing mechanisms.",
         "We implement comprehensive security controls on data through confidentiality agreements with information contacts, monitoring and auditing mechanisms. We also engage independent third-party auditors to assess our security controls every year."),
    ], "minor", [],
      "Adds annual audits by independent third parties: extra security measure; auditors are not sharing recipients under the policy's list (trap on 'third-party')."),

    P("en-minor-backup-encryption", "en", [
        ("through logical or physical isolation.\n",
         "through logical or physical isolation. Backups of personal information are encrypted using AES-256, and encryption keys are stored separately from the encrypted data.\n"),
    ], "minor", [],
      "Adds an encryption-at-rest measure for backups: security strengthened, no trigger."),

    P("en-minor-typo-word-form", "en", [
        ("data desensitizing technologies", "data desensitization technologies"),
    ], "minor", [],
      "Fixes a wrong word form ('desensitizing' -> 'desensitization'). Debatable: no substantive change ('none' defensible), but a word change is not in the editorial list, so minor."),

    P("en-minor-special-tips-clarification", "en", [
        ("the privacy policies of the specific products and / or services shall prevail.\n",
         "the privacy policies of the specific products and / or services shall prevail. In other words, where a specific privacy policy and this Privacy Policy differ on the same matter, the specific privacy policy applies to that product or service.\n"),
    ], "minor", [],
      "Clarifying sentence in Special Tips restating the existing precedence rule."),

    P("en-minor-deadline-shortened-15-to-10", "en", [
        ("within [ 15 ] working days", "within [ 10 ] working days"),
    ], "minor", [],
      "Response deadline shortened 15 -> 10 working days. Debatable: rights are not reduced and the way users exercise them is unchanged, so labelled minor; a strict reading of 'changes in rights and how you exercise them' would fire rights. Consistent rule in this corpus: user-favourable tweaks to an existing mechanism are minor."),

    P("en-minor-children-wording", "en", [
        ("If you are a child under the age of 14 ,", "If you are under the age of 14 ,"),
        ("We do not provide products and / or services to children under the age of 14 ,", "We do not provide products and / or services to minors under the age of 14 ,"),
    ], "minor", [],
      "Children's paragraph reworded ('child' -> 'you'/'minors') with the same age threshold and the same substance."),

    P("en-minor-new-definition-deidentification", "en", [
        ("communication records and content, etc.\n",
         "communication records and content, etc.\n\n"
         "3. [De-identification] De-identification refers to the process by which personal information is processed so that it cannot identify a specific natural person without the help of additional information.\n"),
    ], "minor", [],
      "Adds a definition of de-identification consistent with how the term is already used; no processing or recipients change."),

    P("en-minor-assessment-no-high-risk", "en", [
        ("and destroy or anonymize the personal information we hold.\n",
         "and destroy or anonymize the personal information we hold.\n\n"
         "4. We conduct a personal information security impact assessment every year; the most recent assessment did not identify any high risk.\n"),
    ], "minor", [],
      "States that impact assessments are done and found NO high risk: security information, high-risk does not fire (keyword trap)."),

    P("en-minor-transfer-merger-rewording", "en", [
        ("4. In the event of a merger, acquisition, asset transfer or similar transaction, if personal information is transferred,",
         "4. If personal information is transferred as part of a merger, acquisition, asset transfer or similar transaction,"),
    ], "minor", [],
      "Rewords the existing hypothetical merger/acquisition clause in the Transfer section; no actual ownership change is announced (keyword trap)."),

    P("en-minor-no-ads-commitment", "en", [
        ("to protect the security of your personal information and other information.\n",
         "to protect the security of your personal information and other information.\n\n"
         "5. We will not use your personal information to show you personalised advertising.\n"),
    ], "minor", [],
      "Adds a new restriction (no personalised ads). Debatable: it changes the way data may be used, but only by narrowing it in the user's favour, so labelled minor (keyword trap for processing)."),

    P("en-minor-contact-wording-in-rights", "en", [
        ("please contact us immediately through the contact information specified in [How to Contact Us] at the bottom of this policy",
         "please contact us without delay using the contact details given in [How to Contact Us] at the end of this policy"),
    ], "minor", [],
      "Rewords a cross-reference to the contact section; the contact details themselves are unchanged (keyword trap for contact)."),

    P("en-minor-minimum-age-raised", "en", [
        ("This Privacy Policy only applies to users over the age of 14.", "This Privacy Policy only applies to users over the age of 16."),
        ("If you are a child under the age of 14 ,", "If you are a child under the age of 16 ,"),
        ("We do not provide products and / or services to children under the age of 14 ,", "We do not provide products and / or services to children under the age of 16 ,"),
    ], "minor", [],
      "Minimum user age raised 14 -> 16. Substantive but outside the policy's major-change list (fewer people's data processed, no new type/purpose); debatable, some would argue processing."),
]

# ---------------------------------------------------------------------------
# Chinese pairs
# ---------------------------------------------------------------------------
ZH = [
    P("zh-processing-location-collected", "zh", [
        ("我们会收集您的手机号码、设备型号、操作系统版本等信息。", "我们会收集您的手机号码、设备型号、操作系统版本、精确地理位置等信息。"),
    ], "major", ["processing"],
      "Adds precise geographic location to the collected categories: new type of personal information."),

    P("zh-processing-retention-6m-to-3y", "zh", [
        ("最长不超过六个月", "最长不超过三年"),
    ], "major", ["processing"],
      "Maximum retention lengthened from six months to three years."),

    P("zh-processing-backup-singapore", "zh", [
        ("将存储在中华人民共和国境内。",
         "将存储在中华人民共和国境内。为保障服务的连续性，我们可能将个人信息的备份存储于我们位于新加坡的自有数据中心。"),
    ], "major", ["processing"],
      "Allows backups in the operator's own Singapore data centre: cross-border storage; no new recipient, so recipients not labelled."),

    P("zh-processing-ai-training", "zh", [
        ("（三）我们仅会出于本政策所述目的收集和使用您的个人信息。\n",
         "（三）我们仅会出于本政策所述目的收集和使用您的个人信息。\n\n（四）我们可能会使用您上传的内容及使用记录训练和优化我们的人工智能模型。\n"),
    ], "major", ["processing"],
      "Adds AI model training on user content and usage records as a new purpose."),

    P("zh-ownership-new-operator", "zh", [
        ("更新日期：2025年3月1日\n",
         "更新日期：2025年3月1日\n\n自本版本生效之日起，本服务的运营者变更为示例控股有限公司，由其作为您个人信息的处理者。\n"),
    ], "major", ["ownership"],
      "New operator/personal-information handler entity (示例控股有限公司)."),

    P("zh-ownership-acquired", "zh", [
        ("更新日期：2025年3月1日\n",
         "更新日期：2025年3月1日\n\n本公司已被某某集团有限公司收购，现为其全资子公司。\n"),
    ], "major", ["ownership"],
      "Announces that the company has been acquired and is now a wholly-owned subsidiary."),

    P("zh-recipients-transfer-allowed", "zh", [
        ("2. 我们不会将您的个人信息转让给任何公司、组织和个人。", "2. 我们可能会将您的个人信息转让给我们的合作伙伴。"),
    ], "major", ["recipients"],
      "'Will not transfer' becomes 'may transfer to our partners': transfer newly allowed to a new category of recipients."),

    P("zh-recipients-affiliates-added", "zh", [
        ("我们不会与本公司以外的任何公司", "我们不会与本公司及本公司关联公司以外的任何公司"),
    ], "major", ["recipients"],
      "Sharing with affiliates becomes allowed without consent by carving them out of the no-sharing rule: new category of recipients (subtle, no 'may share' wording)."),

    P("zh-recipients-public-community", "zh", [
        ("3. 我们仅会在获得您明确同意后，公开披露您的个人信息。",
         "3. 我们仅会在获得您明确同意后，公开披露您的个人信息。但您的昵称、头像及社区发言将在社区页面公开展示。"),
    ], "major", ["recipients"],
      "Adds an exception to consent-only public disclosure (nickname, avatar, posts shown publicly); debatable whether processing also fires, labelled recipients only."),

    P("zh-rights-deletion-removed", "zh", [
        ("1. 您有权访问、更正、删除您的个人信息。", "1. 您有权访问、更正您的个人信息。"),
    ], "major", ["rights"],
      "The deletion right is removed from the list of rights."),

    P("zh-rights-deadline-15-to-30", "zh", [
        ("15个工作日", "30个工作日"),
    ], "major", ["rights"],
      "Account-cancellation processing deadline lengthened from 15 to 30 working days."),

    P("zh-rights-access-fee", "zh", [
        ("1. 您有权访问、更正、删除您的个人信息。",
         "1. 您有权访问、更正、删除您的个人信息。对于同一自然年内超过两次的访问请求，我们将视情况收取合理的成本费用。"),
    ], "major", ["rights"],
      "Adds a fee for repeated access requests: new condition on exercising a right."),

    P("zh-rights-no-reduction-commitment-removed", "zh", [
        ("1. 未经您明确同意，我们不会削减您按照本政策所应享有的权利。", "1. 我们可能根据业务需要调整您按照本政策所应享有的权利。"),
    ], "major", ["rights"],
      "Commitment not to reduce rights without consent replaced by unilateral adjustment: weakened commitment (the trigger list is untouched)."),

    P("zh-contact-email-changed", "zh", [
        ("privacy@example.cn", "dpo@example.cn"),
    ], "major", ["contact"],
      "Contact email address changed."),

    P("zh-contact-phone-changed", "zh", [
        ("400-800-1234", "400-900-5678"),
    ], "major", ["contact"],
      "Contact phone number changed."),

    P("zh-contact-officer-added", "zh", [
        ("与我们联系。\n",
         "与我们联系。\n\n我们已设立个人信息保护负责人，您可以通过 pipo@example.cn 与其联系。\n"),
    ], "major", ["contact"],
      "Adds a personal-information protection officer with a new email address."),

    P("zh-high-risk-assessment", "zh", [
        ("3. 我们采用加密传输、访问控制等安全措施保护您的个人信息。\n",
         "3. 我们采用加密传输、访问控制等安全措施保护您的个人信息。\n\n4. 根据最新的个人信息安全影响评估报告，我们的账号关联功能存在高风险，我们正在采取额外措施降低风险。\n"),
    ], "major", ["high-risk"],
      "States that the latest security impact assessment report found a high risk."),

    P("zh-triggers-item3-removed", "zh", [
        ("（3）个人信息共享、转让或公开披露的主要对象发生变化；\n\n", ""),
    ], "major", ["triggers"],
      "Deletes item (3) (recipients) from the list of major changes; actual sharing rules are unchanged, so recipients does not fire."),

    P("zh-triggers-item7-added", "zh", [
        ("（6）个人信息安全影响评估报告表明存在高风险时。\n",
         "（6）个人信息安全影响评估报告表明存在高风险时；\n\n（7）我们使用您的个人信息进行自动化决策时。\n"),
    ], "major", ["triggers"],
      "Adds an automated-decision-making item to the list of major changes; also touches the item (6) line (punctuation only), which does not make high-risk fire."),

    P("zh-multi-ads-partner-location", "zh", [
        ("（2）根据法律法规或主管机关的要求对外提供。\n",
         "（2）根据法律法规或主管机关的要求对外提供；\n\n（3）为向您推送个性化广告，我们会将您的位置信息和设备标识符提供给我们的广告合作伙伴 Acme Ads Ltd.。\n"),
    ], "major", ["processing", "recipients"],
      "New sharing exception: location and device IDs given to a named ad partner for personalised ads; new recipient, new purpose and (location was never collected) a new data type."),

    P("zh-multi-new-operator-and-email", "zh", [
        ("更新日期：2025年3月1日\n",
         "更新日期：2025年3月1日\n\n因集团业务调整，本服务自2025年4月1日起由示例控股有限公司运营。\n"),
        ("privacy@example.cn", "privacy@example-holdings.cn"),
    ], "major", ["contact", "ownership"],
      "Operator changes after a group business adjustment and the contact email changes: two triggers."),
]

ZH_NEG = [
    P("zh-none-identical", "zh", [], "none", [],
      "Identical copy: control pair."),

    P("zh-none-fullwidth-to-halfwidth", "zh", [
        ("（一）为向您提供服务，我们会收集", "（一）为向您提供服务,我们会收集"),
        ("但以下情况除外：", "但以下情况除外:"),
    ], "none", [],
      "Full-width comma and colon replaced by half-width forms: editorial only."),

    P("zh-none-cjk-latin-spacing", "zh", [
        ("包括 IP 地址、访问时间。", "包括IP地址、访问时间。"),
        ("请通过电子邮件 privacy@example.cn 或电话 400-800-1234 与我们联系。", "请通过电子邮件privacy@example.cn或电话400-800-1234与我们联系。"),
    ], "none", [],
      "Spaces between CJK and Latin text removed; email and phone are byte-identical tokens (trap for contact)."),

    P("zh-none-heading-level-and-parens", "zh", [
        ("## 四、您的权利\n", "### 四、您的权利\n"),
        ("（1）事先获得您的明确同意或授权；", "(1)事先获得您的明确同意或授权；"),
    ], "none", [],
      "Heading level change and full-width to half-width list parentheses: editorial only."),

    P("zh-none-list-marker-renumber", "zh", [
        ("（一）为向您提供服务", "1. 为向您提供服务"),
        ("（二）为保障账号安全", "2. 为保障账号安全"),
        ("（三）我们仅会出于", "3. 我们仅会出于"),
    ], "none", [],
      "List markers （一）（二）（三） restyled as 1. 2. 3.: renumbering / marker style only."),

    P("zh-minor-date-only", "zh", [
        ("effective: 2025-03-01", "effective: 2025-04-15"),
        ("更新日期：2025年3月1日", "更新日期：2025年4月15日"),
    ], "minor", [],
      "Only the update date changes. Debatable: 'none' is defensible, labelled minor because a date is not an editorial class."),

    P("zh-minor-security-training-audit", "zh", [
        ("3. 我们采用加密传输、访问控制等安全措施保护您的个人信息。",
         "3. 我们采用加密传输、访问控制等安全措施保护您的个人信息，并定期对员工进行个人信息保护培训，邀请独立第三方机构开展安全审计。"),
    ], "minor", [],
      "Adds staff training and independent third-party security audits: security strengthened (trap on 第三方)."),

    P("zh-minor-sharing-rewording", "zh", [
        ("（2）根据法律法规或主管机关的要求对外提供。", "（2）依照法律法规的规定或主管机关的要求对外提供。"),
    ], "minor", [],
      "Same-meaning rewording of a sharing exception."),

    P("zh-minor-rights-rewording", "zh", [
        ("2. 您可以随时撤回您的授权同意，", "2. 您可以在任何时候撤回您的授权同意，"),
    ], "minor", [],
      "'随时' -> '在任何时候' in the withdrawal-of-consent clause: same meaning."),

    P("zh-minor-deadline-shortened-15-to-10", "zh", [
        ("15个工作日", "10个工作日"),
    ], "minor", [],
      "Cancellation deadline shortened 15 -> 10 working days. Debatable (a strict reading fires rights); labelled minor consistently with the English pair: user-favourable tweak of an existing mechanism."),

    P("zh-minor-assessment-no-high-risk", "zh", [
        ("3. 我们采用加密传输、访问控制等安全措施保护您的个人信息。\n",
         "3. 我们采用加密传输、访问控制等安全措施保护您的个人信息。\n\n4. 我们每年开展个人信息安全影响评估，最近一次评估未发现高风险。\n"),
    ], "minor", [],
      "Impact assessment found NO high risk: high-risk does not fire (keyword trap)."),

    P("zh-minor-contact-section-wording", "zh", [
        ("如您对本政策有任何疑问，请通过", "如您对本政策有任何疑问或建议，请通过"),
    ], "minor", [],
      "Adds 'or suggestions' to the contact sentence; contact details and channels unchanged (trap for contact)."),
]

# Pairs added after the first labelling, appended so that earlier folders
# keep their numbers.
LATER = [
    P("en-minor-no-high-risk-appended", "en", [
        ("Please visit us to keep abreast of the latest privacy policy.\n",
         "Please visit us to keep abreast of the latest privacy policy. The impact assessment found no high risk.\n"),
    ], "minor", [],
      "Appends to an existing paragraph that the impact assessment found NO high risk (issue 8): a result, not a commitment; high-risk does not fire and the added 'no' is no negation flipped."),
]

# ---------------------------------------------------------------------------
# Chinese pairs on real-policy structures (issue 10)
# ---------------------------------------------------------------------------
ZHR = [
    R("zhr-ownership-operator-in-intro", "zhr-inline", [
        ("本产品由星桥示例网络科技有限公司运营。", "本产品由澜庭示例信息技术有限公司运营。"),
    ], "major", ["ownership"],
      "The operator named in the introduction (本产品由……有限公司运营) is a different entity."),
    R("zhr-ownership-we-refers-to", "zhr-inline", [
        ("我们（指星桥示例网络科技有限公司及其关联公司）", "我们（指澜庭示例信息技术有限公司及其关联公司）"),
    ], "major", ["ownership"],
      "The entity that 我们 refers to in the introduction changed: a new operator/handler."),
    R("zhr-recipients-new-sdk-block", "zhr-inline", [
        ("隐私政策链接：https://stats.example.cn/privacy\n",
         "隐私政策链接：https://stats.example.cn/privacy\n\n"
         "3. SDK名称：示例登录SDK；开发者：速通示例认证技术有限公司；收集的信息：手机号码、网络类型；使用目的：为您提供一键登录；隐私政策链接：https://login.example.cn/privacy\n"),
    ], "major", ["recipients"],
      "A new entry in the numbered third-party SDK list: a new recipient (the SDK's developer)."),
    R("zhr-minor-sdk-link-changed", "zhr-inline", [
        ("隐私政策链接：https://push.example.cn/privacy", "隐私政策链接：https://push.example.cn/legal/privacy-v2"),
    ], "minor", [],
      "Only the SDK's privacy-policy address moved; same SDK, same developer, same data."),
    R("zhr-contact-email-changed", "zhr-inline", [
        ("发送邮件至privacy@xingqiao.example.cn，", "发送邮件至pi-officer@xingqiao.example.cn，"),
    ], "major", ["contact"],
      "The email address in a contact clause that also states a deadline changed: contact, not rights."),
    R("zhr-rights-contact-deadline-longer", "zhr-inline", [
        ("privacy@xingqiao.example.cn，我们会在十五个工作日内反馈。", "privacy@xingqiao.example.cn，我们会在三十个工作日内反馈。"),
    ], "major", ["rights"],
      "Same channel, longer deadline to answer (15 → 30 working days): rights, not contact."),
    R("zhr-minor-statistics-changed", "zhr-inline", [
        ("2024年我们平均在3.5天内处理完毕用户的请求。", "2024年我们平均在8.2天内处理完毕用户的请求。"),
    ], "minor", [],
      "A reported average (statistics), not a deadline: no trigger."),
    R("zhr-triggers-inline-item-removed", "zhr-inline", [
        ("；我们负责处理个人信息安全的责任部门、联络方式及投诉渠道发生变化；", "；"),
    ], "major", ["triggers"],
      "An item removed from the one-paragraph list of major changes (包括但不限于：A；B；C。)."),
    R("zhr-processing-consent-exception-added", "zhr-inline", [
        ("紧急情况下为保护自然人的生命健康和财产安全所必需。\n",
         "紧急情况下为保护自然人的生命健康和财产安全所必需；\n\n"
         "（4）为开展商业推广活动，在合理的范围内处理您的个人信息。\n"),
    ], "major", ["processing"],
      "A new case under 无需征得您的授权同意: a new exception to consent."),
    R("zhr-recipients-will-not-to-may-share", "zhr-inline", [
        ("1、我们不会与本公司以外的任何公司、组织和个人共享您的个人信息，但经过您的单独同意或法律法规另有规定的除外。",
         "1、我们可能会与本公司以外的合作伙伴共享您的个人信息，以便向您提供更丰富的服务。"),
    ], "major", ["recipients"],
      "Sharing newly allowed with partners (不会共享 → 可能会共享)."),
    R("zhr-minor-date-only", "zhr-inline", [
        ("更新日期：2025年6月1日", "更新日期：2025年7月1日"),
    ], "minor", [],
      "Date-only edit (debatable: minor by corpus convention)."),
    R("zhr-minor-sync-wording", "zhr-inline", [
        ("1、为在您的多台设备之间同步笔记，我们会将您的笔记内容加密后保存在我们的服务器上。",
         "1、为在您的多台设备之间同步笔记，我们会将您的笔记内容以加密形式保存在我们的服务器上。"),
    ], "minor", [],
      "Rewording of an existing practice; nothing new."),
    R("zhr-processing-cookie-ads", "zhr-table", [
        ("3．我们使用Cookie和同类技术记住您的登录状态，以便您无需重复登录。",
         "3．我们使用Cookie和同类技术记住您的登录状态，并用于统计分析和向您展示个性化广告。"),
    ], "major", ["processing"],
      "A new analytics and advertising use of cookies."),
    R("zhr-recipients-new-sdk-row", "zhr-table", [
        ("| 示例支付SDK | 汇付示例支付服务有限公司 | 订单信息、设备型号 | 完成订单支付 | https://pay.example.cn/privacy |\n",
         "| 示例支付SDK | 汇付示例支付服务有限公司 | 订单信息、设备型号 | 完成订单支付 | https://pay.example.cn/privacy |\n"
         "| 示例分享SDK | 连云示例网络技术有限公司 | 设备型号、网络类型 | 分享行程到社交平台 | https://share.example.cn/privacy |\n"),
    ], "major", ["recipients"],
      "A new row in the third-party SDK table: a new recipient."),
    R("zhr-minor-sdk-row-reworded", "zhr-table", [
        ("| 显示地图与规划路线 |", "| 显示地图并规划行程路线 |"),
    ], "minor", [],
      "The purpose of an existing SDK reworded; same SDK, same data."),
    R("zhr-ownership-operator-table-base", "zhr-table", [
        ("由青木示例出行服务有限公司运营。", "由远行示例科技有限公司运营。"),
    ], "major", ["ownership"],
      "A different operator named in the introduction."),
    R("zhr-contact-phone-changed", "zhr-table", [
        ("021-5555-0199", "021-6666-0288"),
    ], "major", ["contact"],
      "The phone number in a contact clause that also states a deadline changed."),
    R("zhr-minor-deadline-shortened", "zhr-table", [
        ("我们将在十个工作日内处理完毕。", "我们将在七个工作日内处理完毕。"),
    ], "minor", [],
      "A shorter deadline favours the user (corpus convention: minor)."),
    R("zhr-triggers-item-added", "zhr-table", [
        ("5、我们的联络方式及投诉渠道发生变化。\n",
         "5、我们的联络方式及投诉渠道发生变化；\n\n6、个人信息安全影响评估报告表明存在高风险。\n"),
    ], "major", ["triggers"],
      "An item added to the `1、` list of major changes (重大变化包括：)."),
    R("zhr-processing-retention-longer", "zhr-table", [
        ("您的行程记录将保存三年", "您的行程记录将保存五年"),
    ], "major", ["processing"],
      "A longer retention period."),
    R("zhr-contact-address-changed", "zhr-table", [
        ("杭州市西湖区示例街100号", "杭州市滨江区示例路200号"),
    ], "major", ["contact"],
      "The registered postal address in the contact section changed."),
    R("zhr-none-identical", "zhr-table", [], "none", [],
      "Identical texts."),
]

PAIRS = EN + EN_NEG + ZH + ZH_NEG + LATER + ZHR


def apply(base, repl, name):
    text = base
    for i, (old, new) in enumerate(repl):
        n = text.count(old)
        assert n == 1, f"{name}: replacement #{i} old substring occurs {n} times (expected 1): {old[:80]!r}"
        text = text.replace(old, new, 1)
    return text


def main():
    bases = {}
    for lang, path in BASES.items():
        with open(path, "r", encoding="utf-8", newline="") as f:
            bases[lang] = f.read()

    names = set()
    for p in PAIRS:
        assert p["name"] not in names, f"duplicate name {p['name']}"
        names.add(p["name"])
        assert p["lang"] in BASES
        assert p["cls"] in CLASSES
        assert set(p["triggers"]) <= TRIGGERS, p["name"]
        assert (p["cls"] == "major") == bool(p["triggers"]), p["name"]
        assert len(p["repl"]) <= 3, p["name"]
        assert p["repl"] or p["cls"] == "none", p["name"]

    # remove previously generated pair folders (NNN-name containing labels.json)
    for entry in sorted(os.listdir(HERE)):
        d = os.path.join(HERE, entry)
        if os.path.isdir(d) and re.match(r"^\d{3}-", entry) and os.path.exists(os.path.join(d, "labels.json")):
            shutil.rmtree(d)

    for idx, p in enumerate(PAIRS, start=1):
        base = bases[p["base"]]
        new = apply(base, p["repl"], p["name"])
        if p["repl"]:
            assert new != base, p["name"]
        d = os.path.join(HERE, f"{idx:03d}-{p['name']}")
        os.makedirs(d)
        with open(os.path.join(d, "old.md"), "w", encoding="utf-8", newline="") as f:
            f.write(base)
        with open(os.path.join(d, "new.md"), "w", encoding="utf-8", newline="") as f:
            f.write(new)
        labels = {
            "classification": p["cls"],
            "triggers": p["triggers"],
            "lang": p["lang"],
            "note": p["note"],
        }
        with open(os.path.join(d, "labels.json"), "w", encoding="utf-8", newline="\n") as f:
            json.dump(labels, f, ensure_ascii=False, indent=2)
            f.write("\n")

    # summary
    from collections import Counter
    cls = Counter((p["lang"], p["cls"]) for p in PAIRS)
    trig = Counter((p["lang"], t) for p in PAIRS for t in p["triggers"])
    print(f"{len(PAIRS)} pairs written to {HERE}")
    for lang in ("en", "zh"):
        print(f"  {lang}: " + ", ".join(f"{c}={cls[(lang, c)]}" for c in ("major", "minor", "none")))
    for t in sorted(TRIGGERS):
        print(f"  {t:11s} en={trig[('en', t)]} zh={trig[('zh', t)]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
