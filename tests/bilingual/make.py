#!/usr/bin/env python3
"""Builds the bilingual change pairs in this folder from an excerpt of the
bundled policy and its Chinese version (policies/privacy-policy*.md, which
are line-for-line parallel). Each case: en-old.md, en-new.md, zh-old.md,
zh-new.md and expected.toml (the findings a careful reviewer expects, keyed
as KIND@en:LINE, KIND@zh:LINE or KIND; lines resolved from the edited text).
Run from the repository root: python3 tests/bilingual/make.py"""
import os, shutil

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EN = open(os.path.join(ROOT, 'policies/privacy-policy.md'), encoding='utf-8').read().split('\n')
ZH = open(os.path.join(ROOT, 'policies/privacy-policy.zh-CN.md'), encoding='utf-8').read().split('\n')
# Front matter and title (1-8), section II (106-143), the heading of
# section V and its first sub-heading (180-183), its part (V) to the end.
RANGES = [(1, 9), (106, 143), (180, 183), (212, 268)]

def excerpt(lines):
    out = []
    for a, b in RANGES:
        out.extend(lines[a - 1:b])
    return '\n'.join(out).rstrip('\n') + '\n'

EN_BASE, ZH_BASE = excerpt(EN), excerpt(ZH)

def sub(text, old, new):
    assert text.count(old) == 1, (old, text.count(old))
    return text.replace(old, new)

def line_of(text, needle):
    for i, l in enumerate(text.split('\n'), 1):
        if needle in l:
            return i
    raise AssertionError(needle)

CASES = []

def case(name, description, en=(), zh=(), expect=()):
    """en/zh: (old, new) substitutions; expect: (kind, lang, version, needle) or kind."""
    CASES.append((name, description, en, zh, expect))

DEADLINE_EN, DEADLINE_ZH = 'within [ 15 ] working days', '【15】个工作日'
EMAIL = 'lvyanjing1122@163.com'
case('consistent-deadline', 'The response deadline goes from 15 to 30 working days in both languages.',
     en=[(DEADLINE_EN, 'within [ 30 ] working days')], zh=[(DEADLINE_ZH, '【30】个工作日')])
case('en-only-deadline', 'The deadline changes in English only: the Chinese still says 15 days.',
     en=[(DEADLINE_EN, 'within [ 30 ] working days')],
     expect=[('changed-in-one-language', 'en', 'new', '[ 30 ]'), 'classification-differs'])
case('zh-only-deadline', 'The deadline changes in Chinese only.',
     zh=[(DEADLINE_ZH, '【30】个工作日')],
     expect=[('changed-in-one-language', 'en', 'new', '[ 15 ]'), 'classification-differs'])
case('deadline-changed-differently', '15 -> 30 days in English, 15 -> 20 in Chinese: both changed, anchors differ.',
     en=[(DEADLINE_EN, 'within [ 30 ] working days')], zh=[(DEADLINE_ZH, '【20】个工作日')],
     expect=[('anchor-differs', 'en', 'new', '[ 30 ]')])
case('consistent-email', 'The contact email changes in both languages.',
     en=[(EMAIL, 'privacy@example-corp.com')], zh=[(EMAIL, 'privacy@example-corp.com')])
case('email-changed-differently', 'New contact email, but a different one in each language.',
     en=[(EMAIL, 'privacy@example-corp.com')], zh=[(EMAIL, 'dpo@example-corp.com')],
     expect=[('anchor-differs', 'en', 'new', 'privacy@example-corp.com')])
case('en-only-email', 'The contact email changes in English only.',
     en=[(EMAIL, 'privacy@example-corp.com')],
     expect=[('changed-in-one-language', 'en', 'new', 'privacy@example-corp.com'), 'classification-differs'])
SHARE_EN = '( 2 ) Providing information when necessary in accordance with applicable laws and regulations, legal procedures, or administrative or judicial authorities.'
SHARE_ZH = '（2）根据适用的法律法规、法律程序的要求，或行政、司法机关依法提出的要求，在必要时提供。'
ADD_EN = SHARE_EN + '\n\n( 3 ) Providing your device identifiers to advertising partners to measure the effectiveness of advertising.'
ADD_ZH = SHARE_ZH + '\n\n（3）为衡量广告效果，向广告合作伙伴提供您的设备标识符。'
case('clause-added-in-both', 'A sharing exception is added in both languages.',
     en=[(SHARE_EN, ADD_EN)], zh=[(SHARE_ZH, ADD_ZH)])
case('clause-added-en-only', 'A sharing exception is added in English only.',
     en=[(SHARE_EN, ADD_EN)],
     expect=[('added-in-one-language', 'en', 'new', '( 3 ) Providing your device'), 'classification-differs'])
case('clause-added-zh-only', 'A sharing exception is added in Chinese only.',
     zh=[(SHARE_ZH, ADD_ZH)],
     expect=[('added-in-one-language', 'zh', 'new', '（3）为衡量广告效果'), 'classification-differs'])
ARCHIVE_EN = 'We will also archive previous versions of this policy for your reference.\n\n'
ARCHIVE_ZH = '我们还会将本政策的旧版本存档，供您查阅。\n\n'
case('clause-removed-en-only', 'The archive sentence is removed in English only.',
     en=[(ARCHIVE_EN, '')],
     expect=[('removed-in-one-language', 'en', 'old', 'We will also archive'), 'classification-differs'])
case('clause-removed-in-both', 'The archive sentence is removed in both languages.',
     en=[(ARCHIVE_EN, '')], zh=[(ARCHIVE_ZH, '')])
case('clause-removed-zh-only', 'The archive sentence is removed in Chinese only.',
     zh=[(ARCHIVE_ZH, '')],
     expect=[('removed-in-one-language', 'en', 'new', 'We will also archive'), 'classification-differs'])
_refusals = ZH_BASE[ZH_BASE.index('4. 在以下情形中'):ZH_BASE.index('## 六')]
ZH_REFUSALS = [l for l in _refusals.split('\n') if l.startswith('（')]
CN_NUM = '一二三四五六七八'
case('renumber-zh-only', 'The Chinese refusal grounds go from （1） to （一） numbering; English untouched.',
     zh=[(l, '（%s）%s' % (CN_NUM[i], l[3:])) for i, l in enumerate(ZH_REFUSALS)])
case('renumber-en-only', 'English relabels the transfer heading and list (II) -> 2., 1. -> 1); Chinese untouched.',
     en=[('### (II) Transfer', '### 2. Transfer'), ('### (III) Public Disclosure', '### 3. Public Disclosure')])
TRANSFER_EN = ['1. Obtain your consent', '2. Provide as required', '3. Comply with the relevant', '4. In the event of a merger']
TRANSFER_ZH = ['1. 事先获得您的同意', '2. 根据适用的法律法规', '3. 符合与您签署', '4. 在涉及合并']
NEW_EN = '1. Necessary for the performance of a contract to which you are a party;\n\n'
NEW_ZH = '1. 为订立、履行您作为一方当事人的合同所必需；\n\n'
def renumber(items):
    return [(t, '%d.%s' % (int(t[0]) + 1, t[2:])) for t in reversed(items)]
case('item-inserted-at-top-in-both', 'A transfer exception inserted at the top of the list in both languages; the rest renumbered.',
     en=renumber(TRANSFER_EN) + [('2. Obtain your consent', NEW_EN + '2. Obtain your consent')],
     zh=renumber(TRANSFER_ZH) + [('2. 事先获得您的同意', NEW_ZH + '2. 事先获得您的同意')])
case('item-inserted-at-top-en-only', 'A transfer exception inserted at the top of the English list only.',
     en=renumber(TRANSFER_EN) + [('2. Obtain your consent', NEW_EN + '2. Obtain your consent')],
     expect=[('added-in-one-language', 'en', 'new', 'performance of a contract'), 'classification-differs'])
case('moved-en-only', 'The archive sentence moves above the list of major changes, in English only.',
     en=[(ARCHIVE_EN, ''), ('Major changes referred to in this privacy policy include but are not limited to:',
                            'Major changes referred to in this privacy policy include but are not limited to:\n\nWe will also archive previous versions of this policy for your reference.')],
     expect=[('moved-in-one-language', 'en', 'new', 'We will also archive'), 'classification-differs'])
UPDATE_EN = 'this Privacy Policy will be updated from time to time'
UPDATE_ZH = '本隐私政策将不时更新'
case('rewording-en-only', 'A sentence is reworded in English only (no anchor involved).',
     en=[(UPDATE_EN, 'this Privacy Policy will be reviewed and updated at least once a year')],
     expect=[('changed-in-one-language', 'en', 'new', 'at least once a year'), 'classification-differs'])
case('rewording-in-both', 'The same sentence reworded in both languages.',
     en=[(UPDATE_EN, 'this Privacy Policy will be reviewed and updated at least once a year')],
     zh=[(UPDATE_ZH, '本隐私政策将至少每年审查并更新一次')])
HIGH_EN = '( 6 ) When the personal information security impact assessment report indicates that there is a high risk.'
HIGH_ZH = '（6）个人信息安全影响评估报告表明存在高风险时。'
case('major-change-item-added-in-both', 'The list of major changes gains an item in both languages.',
     en=[(HIGH_EN, HIGH_EN[:-1] + ';\n\n( 7 ) When we begin to use personal information to train artificial intelligence models.')],
     zh=[(HIGH_ZH, HIGH_ZH[:-1] + '；\n\n（7）我们开始使用个人信息训练人工智能模型时。')])
case('major-change-item-added-en-only', 'The list of major changes gains an item in English only.',
     en=[(HIGH_EN, HIGH_EN[:-1] + ';\n\n( 7 ) When we begin to use personal information to train artificial intelligence models.')],
     expect=[('added-in-one-language', 'en', 'new', '( 7 ) When we begin'), 'classification-differs'])
AFFIL_EN = 'we may share your personal information with our affiliates for the purpose'
AFFIL_ZH = '我们可能与我们的关联方共享您的个人信息'
case('named-recipient-differs', 'A named recipient is added in both languages, but a different one.',
     en=[(AFFIL_EN, 'we may share your personal information with our affiliates and with AppsFlyer for the purpose')],
     zh=[(AFFIL_ZH, '我们可能与我们的关联方及Adjust共享您的个人信息')],
     expect=[('anchor-differs', 'en', 'new', 'AppsFlyer')])
case('named-recipient-in-both', 'The same named recipient is added in both languages.',
     en=[(AFFIL_EN, 'we may share your personal information with our affiliates and with AppsFlyer for the purpose')],
     zh=[(AFFIL_ZH, '我们可能与我们的关联方及AppsFlyer共享您的个人信息')])
case('dates-in-both', 'A new effective date in both languages.',
     en=[('effective: 2025-07-09', 'effective: 2026-03-01'), ('2025 .7 .9', '2026 .3 .1')],
     zh=[('effective: 2025-07-09', 'effective: 2026-03-01'), ('2025年7月9日', '2026年3月1日')])
case('date-en-only', 'A new effective date in English only.',
     en=[('effective: 2025-07-09', 'effective: 2026-03-01'), ('2025 .7 .9', '2026 .3 .1')],
     expect=[('changed-in-one-language', 'en', 'new', 'effective: 2026'), ('changed-in-one-language', 'en', 'new', '2026 .3 .1'), 'classification-differs'])
case('contact-url-differs', 'Both add a web form for requests, at different addresses.',
     en=[(EMAIL, EMAIL + ' or through the form at https://example-corp.com/privacy/requests')],
     zh=[(EMAIL, EMAIL + '，或通过 https://example-corp.cn/privacy/requests 上的表单')],
     expect=[('anchor-differs', 'en', 'new', 'https://example-corp.com')])

here = os.path.dirname(os.path.abspath(__file__))
for entry in os.listdir(here):
    if os.path.isdir(os.path.join(here, entry)):
        shutil.rmtree(os.path.join(here, entry))
for n, (name, description, en, zh, expect) in enumerate(CASES, 1):
    texts = {'en-old': EN_BASE, 'zh-old': ZH_BASE, 'en-new': EN_BASE, 'zh-new': ZH_BASE}
    for old, new in en:
        texts['en-new'] = sub(texts['en-new'], old, new)
    for old, new in zh:
        texts['zh-new'] = sub(texts['zh-new'], old, new)
    keys = []
    for e in expect:
        if isinstance(e, str):
            keys.append(e)
        else:
            kind, lang, version, needle = e
            keys.append('%s@%s:%d' % (kind, lang, line_of(texts['%s-%s' % (lang, version)], needle)))
    d = os.path.join(here, '%02d-%s' % (n, name))
    os.makedirs(d)
    for k, t in texts.items():
        open(os.path.join(d, k + '.md'), 'w', encoding='utf-8').write(t)
    with open(os.path.join(d, 'expected.toml'), 'w', encoding='utf-8') as f:
        f.write('description = %s\nfindings = [%s]\n' % (
            '"' + description.replace('"', '\\"') + '"',
            ', '.join('"%s"' % k for k in keys)))
print(len(CASES), 'cases')
