//! The built-in catalogue of detectors, one per kind of major change that
//! privacy policies list (and the bundled policy lists in its section VI).
//! Each detector knows how to recognise a listed trigger's wording (`maps`),
//! what a clause about its subject looks like (`subject`), and which words
//! arriving in a change signal it. English and Chinese throughout; the term
//! syntax is described in [`super::terms`].

use std::sync::LazyLock;

use super::terms::Terms;

use super::ids::DetectorId;

/// Ids of the built-in detectors, stable across releases.
pub const BUILTIN_IDS: [&str; 6] = [
    DetectorId::Processing.as_str(),
    DetectorId::Ownership.as_str(),
    DetectorId::Recipients.as_str(),
    DetectorId::Rights.as_str(),
    DetectorId::Contact.as_str(),
    DetectorId::HighRisk.as_str(),
];

/// A named term list whose arrival in a change is a signal.
#[derive(Debug)]
pub struct Signal {
    /// What the signal means, in plain words ("new category of personal information").
    pub name: &'static str,
    /// The terms.
    pub terms: Terms,
}

/// One built-in detector.
#[derive(Debug)]
pub struct Detector {
    /// Stable id.
    pub id: DetectorId,
    /// Catalogue wording, used when the policy has no list of its own.
    pub title: &'static str,
    /// What the detector looks for, for `policydiff triggers`.
    pub looks_for: &'static str,
    /// Recognises a policy's wording of this trigger.
    pub maps: Terms,
    /// Recognises a sentence (or section heading) about this subject.
    pub subject: Terms,
    /// Words that, newly present in a sentence about anything, signal this trigger.
    pub signals: Vec<Signal>,
    /// Words that signal this trigger only in a sentence (or section) about its subject.
    pub subject_signals: Vec<Signal>,
    /// Whether a section heading about the subject makes every sentence under
    /// it about the subject (true for sharing and rights sections, whose
    /// items rarely repeat the verb; false for processing, whose headings
    /// mention storage and use everywhere).
    pub section_counts: bool,
}

fn signal(name: &'static str, spec: &'static str) -> Signal {
    Signal {
        name,
        terms: Terms::new(spec),
    }
}

/// Categories of personal information whose arrival is a change of the service model.
pub const DATA_CATEGORIES: &str = "device identifier*|device id|device ids|imei|idfa|idfv|oaid|advertising id*|mac address*|location*|geolocation|gps|contact list*|contacts list*|address book*|biometric*|facial|face data|face recognition|face scan*|fingerprint*|voiceprint*|health|medical|genetic|financial|bank account*|bank card*|credit card*|credit score*|credit information|payment information|payment data|clipboard|microphone|camera|photo|photos|browsing history|call log*|text messages|sms|religio*|sexual|criminal record*|id card*|identity document*|passport*|设备标识|唯一设备识别码|位置信息|精确位置|地理位置|定位|通讯录|生物识别|人脸|面部|指纹|声纹|健康|医疗|基因|财务|银行账户|银行卡|信用|支付信息|剪切板|剪贴板|麦克风|相机|摄像头|相册|浏览记录|通话记录|短信|身份证|护照|宗教";

/// Purposes of processing whose arrival is a change of the service model.
pub const PURPOSES: &str = "advertis*|marketing|profile|profiles|profiling|personalis*|personaliz*|targeted|analytics|ai|artificial intelligence|machine learning|model training|algorithm training|train our models|train models|training models|training our models|train ai|training ai|train machine learning|sell|sale of|data broker*|广告|营销|画像|个性化推荐|个性化推送|精准推送|人工智能|模型训练|算法训练|训练模型|出售";

/// Places and words of cross-border storage, processing or transfer.
pub const CROSS_BORDER: &str = "outside china|outside of china|outside the territory of china|outside the territory of the people s republic of china|outside the people s republic of china|outside mainland china|outside the eu|outside the eea|outside the european union|outside the uk|outside the united kingdom|abroad|overseas|cross border|international transfer*|internationally transfer*|singapore|united states|usa|hong kong|japan|korea|india|ireland|germany|europe|other countries|境外|出境|跨境|新加坡|美国|香港|日本|韩国|欧洲|海外";

/// Recipients of personal information.
pub const RECIPIENTS: &str = "third party|third parties|partner|partners|affiliat*|advertis*|analytics|service provider*|vendor*|supplier*|processor|processors|contractor*|data broker*|government*|authority|authorities|law enforcement|insurer*|第三方|合作伙伴|合作方|关联公司|关联方|广告主|广告商|服务提供商|服务商|供应商|政府|机关|有限公司";

/// Conditions, fees and refusals that restrict a right.
pub const RIGHT_RESTRICTIONS: &str = "only if|only when|only after|provided that|subject to|unless|fee|fees|charge|charges|cost|costs|may refuse|may decline|at our discretion|at our sole discretion|no longer|excessive|repetitive|unfounded|impractical|disproportionate|reasonably consider*|仅在|仅限|前提|费用|收费|有权拒绝|可能拒绝|不再|重复|过度|不合理";

/// Names of users' rights: one leaving a rights clause narrows the rights.
pub const RIGHT_NAMES: &str = "access|correct|correction|rectif*|delete|deletion|erase|erasure|cancel|cancellation|withdraw|withdrawal|object|portability|copy|访问|查阅|复制|副本|更正|删除|注销|撤回|撤销|拒绝|可携带";

/// Made visible to the public (a recipient: everyone).
pub const PUBLIC: &str = "publicly display*|publicly visible|publicly available|shown publicly|displayed publicly|made public|visible to other users|visible to everyone|public profile*|公开展示|公开显示|公开可见|对外展示|所有用户可见";

/// Protections whose removal changes the way information is used.
pub const ANONYMITY: &str = "anonymous|anonymously|anonymi*|de identif*|deidentif*|pseudonym*|aggregate*|desensiti*|匿名|去标识化|脱敏|汇总";

/// Ownership and control.
pub const OWNERSHIP: &str = "merge|merges|merger*|merged|merging|acquire|acquired|acquires|acquiring|acquisition*|bankrupt*|insolven*|restructur*|reorganis*|reorganiz*|controller|controllers|data controller*|operator|operators|operated by|parent company|parent undertaking|subsidiary|subsidiaries|change of control|successor*|joint venture*|shareholder*|ownership|合并|收购|并购|破产|重组|控制者|运营主体|运营者|母公司|子公司|控股|股权|股东|所有权|实际控制人";

/// An announced change of ownership or control (not a mention of one: "in
/// the event of a merger …" describes a hypothesis, "we have merged with …"
/// announces a fact).
pub const ANNOUNCED_OWNERSHIP: &str = "acquired by|has acquired|have acquired|has been acquired|have been acquired|completion of the acquisition|completed the acquisition|acquisition of our company|merged with|have merged|has merged|has been merged|now part of|is now owned by|are now owned by|wholly owned subsidiary|now a subsidiary|become a subsidiary|became a subsidiary|has become a wholly|change of control has|now operated by|new controller|new operator|全资子公司|完成收购|完成合并|已合并|合并后的|运营者变更|运营主体变更|控制者变更|处理者变更|运营方变更";

/// Roles and channels of contact.
pub const CONTACT_ROLES: &str = "data protection officer|dpo|privacy officer|chief privacy officer|responsible department|responsible person|responsible officer|department|complaint*|contact form|complaint form|web form|online form|request form|supervisory authority|regulator|ombudsman|délégué à la protection des données|délégué à la protection|datenschutzbeauftragte*|delegado de protección de datos|个人信息保护负责人|个人信息保护专职部门|负责人|责任部门|部门|投诉|举报|监管部门|在线表单|反馈表单|联系表单";

/// An impact or risk assessment (one half of the high-risk statement).
pub const ASSESSMENT: &str = "impact assessment*|risk assessment*|pia|dpia|影响评估|风险评估";
/// High risk (the other half).
pub const HIGH: &str =
    "high risk|high risks|risk is high|risks are high|risk was high|高风险|风险较高";

/// The catalogue, built once.
pub static CATALOGUE: LazyLock<Vec<Detector>> = LazyLock::new(|| {
    vec![
        Detector {
            id: DetectorId::Processing,
            title: "The service model changes: the purpose of processing, the types of personal information processed, or the way it is used",
            looks_for: "new categories of personal information (device identifiers, location, contacts, biometrics, health, financial, clipboard …); new purposes (advertising, profiling, analytics, AI training); changed retention periods; cross-border storage or processing; a way of use newly allowed (will not → may, removed 'only')",
            maps: Terms::new(
                "service model|purpose*|type of personal information|types of personal information|personal information processed|way personal information is used|how personal information is used|服务模式|处理个人信息的目的|个人信息类型|使用方式|处理目的",
            ),
            // "use" and "process" only as verbs on information: "data
            // processing agreements" is not about the purpose of processing.
            subject: Terms::new(
                "collect*|use your|use the|use personal|use this|use such|use collected|uses your|used to|using your|process your|process personal|processes your|processed for|purpose|purposes|so that|retain*|retention|storage|store|stored|stores|storing|obtain*|cookie*|track*|收集|使用|目的|用于|为了|以便|为向您|处理|保存|存储|保留|期限|获取",
            ),
            section_counts: false,
            signals: vec![],
            subject_signals: vec![
                signal("new category of personal information", DATA_CATEGORIES),
                signal("new purpose of processing", PURPOSES),
                signal("cross-border storage or processing", CROSS_BORDER),
            ],
        },
        Detector {
            id: DetectorId::Ownership,
            title: "The ownership or organisational structure changes (merger, acquisition, bankruptcy, a new controller or operator)",
            looks_for: "merger, acquisition, bankruptcy, restructuring, change of controller or operator entity, parent company; a changed company name",
            maps: Terms::new(
                "ownership|organisational structure|organizational structure|corporate structure|merger*|acquisition*|bankrupt*|control|controller|所有权|组织架构|并购|破产|控制",
            ),
            subject: Terms::new(OWNERSHIP),
            section_counts: true,
            signals: vec![signal(
                "change of ownership or controller announced",
                ANNOUNCED_OWNERSHIP,
            )],
            subject_signals: vec![],
        },
        Detector {
            id: DetectorId::Recipients,
            title: "The main recipients of sharing, transfer or public disclosure change",
            looks_for: "new named third parties or categories of recipients; sharing, transfer or disclosure newly allowed ('will not share' → 'may share'); new cross-border recipients",
            maps: Terms::new(
                "objects of sharing|object of sharing|recipient*|sharing transfer|public disclosure|publicly disclose*|third parties with whom|共享、转让|公开披露的主要对象|共享|接收方",
            ),
            subject: Terms::new(
                "share|shares|shared|sharing|transfer*|disclos*|provide it to|provide them to|provide your information to|provide personal information to|provide your personal information to|recipient*|sell|sold|publicly|public|共享|转让|披露|提供给|对外提供|出售|公开",
            ),
            section_counts: true,
            signals: vec![],
            subject_signals: vec![
                signal("new recipient of personal information", RECIPIENTS),
                signal("new cross-border recipient", CROSS_BORDER),
                signal("information newly made public", PUBLIC),
            ],
        },
        Detector {
            id: DetectorId::Rights,
            title: "Users' rights over their personal information, or how they exercise them, change",
            looks_for: "a right removed or restricted (access, correction, deletion, account cancellation, withdrawal of consent); new conditions or fees; longer response deadlines; weakened commitments",
            maps: Terms::new("right|rights|exercise*|权利|行使"),
            subject: Terms::new(
                "right|rights|access|accessing|correct*|delet*|eras*|cancel*|withdraw*|opt out|object|request|requests|respond*|portab*|verify|working days|copy of|权利|有权|访问|查阅|复制|副本|更正|删除|注销|撤回|请求|响应|答复|工作日",
            ),
            section_counts: true,
            signals: vec![],
            subject_signals: vec![signal(
                "new condition, fee or refusal on a right",
                RIGHT_RESTRICTIONS,
            )],
        },
        Detector {
            id: DetectorId::Contact,
            title: "The department responsible for personal information, the contact details or the complaint channels change",
            looks_for: "changed email addresses, phone numbers, postal addresses, contact or complaint URLs; a new or changed responsible department or officer",
            maps: Terms::new(
                "responsible department|contact*|complaint*|department|责任部门|联络方式|联系方式|投诉渠道",
            ),
            subject: Terms::new(
                "contact*|email|e mail|phone|telephone|address|complaint*|department|officer|dpo|reach us|联系|联络|邮箱|邮件|电话|地址|投诉|部门|负责人",
            ),
            section_counts: true,
            signals: vec![],
            subject_signals: vec![signal(
                "new responsible department, officer or complaint channel",
                CONTACT_ROLES,
            )],
        },
        Detector {
            id: DetectorId::HighRisk,
            title: "A personal information security impact assessment reports a high risk",
            looks_for: "text stating that an impact assessment found high risk; or --impact-assessment high",
            maps: Terms::new("impact assessment|high risk|影响评估|高风险"),
            subject: Terms::new("impact assessment*|risk|risks|影响评估|风险"),
            section_counts: false,
            // The statement needs both halves in one sentence: see signals::high_risk.
            signals: vec![],
            subject_signals: vec![],
        },
    ]
});

/// The built-in detector with this id.
pub fn detector(id: &str) -> Option<&'static Detector> {
    let id = DetectorId::parse(id)?;
    CATALOGUE.iter().find(|d| d.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_in_order() {
        assert_eq!(CATALOGUE.len(), BUILTIN_IDS.len());
        for (d, id) in CATALOGUE.iter().zip(BUILTIN_IDS) {
            assert_eq!(d.id.as_str(), id);
        }
    }

    #[test]
    fn the_bundled_policy_items_map_to_their_detectors() {
        let items = [
            (
                "Our service model undergoes major changes, such as the purpose of processing personal information, the type of personal information processed, the way personal information is used, etc.;",
                DetectorId::Processing,
            ),
            (
                "We have major changes in our ownership structure, organizational structure, etc., such as changes in ownership due to business adjustments, bankruptcy, mergers and acquisitions, etc.;",
                DetectorId::Ownership,
            ),
            (
                "The main objects of sharing, transfer or public disclosure of personal information have changed;",
                DetectorId::Recipients,
            ),
            (
                "There are significant changes in your rights to participate in the processing of personal information and how you exercise them;",
                DetectorId::Rights,
            ),
            (
                "When our responsible department for handling personal information security, contact information and complaint channels change;",
                DetectorId::Contact,
            ),
            (
                "When the personal information security impact assessment report indicates that there is a high risk.",
                DetectorId::HighRisk,
            ),
            (
                "个人信息共享、转让或公开披露的主要对象发生变化；",
                DetectorId::Recipients,
            ),
            (
                "我们负责处理个人信息安全的责任部门、联络方式及投诉渠道发生变化时；",
                DetectorId::Contact,
            ),
        ];
        for (text, id) in items {
            assert_eq!(
                super::super::best_detector(text).map(|d| d.id),
                Some(id),
                "{text}"
            );
        }
    }
}
