//! Phrase banks the synthetic reports are written from: the wording of real reports, cut into
//! pieces that carry no number, no 《》 and no initiative name (checked by the tests below), so
//! that everything a report states is placed by the generator and known to it.

/// Clauses of ordinary report prose (joined with ，, ended with 。).
pub const CLAUSES: &[&str] = &[
    "坚持以习近平新时代中国特色社会主义思想为指导",
    "深入学习贯彻习近平法治思想",
    "认真落实上级关于法治政府建设的决策部署",
    "把法治政府建设摆在全局工作的重要位置",
    "严格落实重大行政决策程序",
    "持续提升依法行政能力和水平",
    "不断加强行政执法规范化建设",
    "着力推进严格规范公正文明执法",
    "扎实开展法治宣传教育",
    "切实保障人民群众合法权益",
    "进一步规范行政权力运行",
    "主动接受人大监督和政协民主监督",
    "认真办理人大代表建议和政协委员提案",
    "积极推进政务公开标准化规范化",
    "及时回应社会关切",
    "不断优化法治化营商环境",
    "做好涉企行政执法检查的统筹",
    "强化行政执法人员资格管理",
    "组织执法人员参加专业法律知识培训",
    "认真做好行政复议答复工作",
    "依法支持人民法院受理和审理行政案件",
    "健全矛盾纠纷多元化解体系",
    "把矛盾纠纷化解在基层和萌芽状态",
    "加强人民调解组织规范化建设",
    "推动公共法律服务向基层延伸",
    "为群众提供便捷高效的法律服务",
    "加强对规范性文件的合法性审核",
    "严格落实规范性文件备案审查要求",
    "将法治建设纳入年度工作要点",
    "定期听取法治建设工作汇报",
    "及时研究解决法治建设中的重大问题",
    "压紧压实各级领导干部法治建设责任",
    "将学法内容纳入理论学习中心组学习计划",
    "推动领导干部带头尊法学法守法用法",
    "营造办事依法遇事找法的良好氛围",
    "加强与司法机关的沟通协作",
    "持续深化基层依法治理",
    "提升基层治理法治化水平",
    "畅通群众诉求表达渠道",
    "加强执法监督和案卷评查",
    "规范行政裁量权基准的适用",
    "推进数字政府建设",
    "提高政务服务便利化水平",
    "强化安全生产领域执法",
    "加大生态环境保护执法力度",
    "依法保障各类市场主体合法权益",
];

/// Clauses for the problems section.
pub const PROBLEM_CLAUSES: &[&str] = &[
    "部分干部运用法治思维和法治方式解决问题的能力还有待提升",
    "基层执法力量相对薄弱",
    "行政执法规范化水平仍需提高",
    "法治宣传教育的针对性和实效性还不够强",
    "矛盾纠纷多元化解机制运行还不够顺畅",
    "法治人才队伍建设相对滞后",
    "数字化执法监督手段运用不足",
];

/// Clauses for the plans section.
pub const PLAN_CLAUSES: &[&str] = &[
    "持续深入学习贯彻习近平法治思想",
    "进一步压实党政主要负责人履行推进法治建设第一责任人职责",
    "持续推进行政执法规范化建设",
    "加强法治工作队伍建设",
    "深入推进法治宣传教育",
    "不断提升基层治理法治化水平",
    "为经济社会高质量发展提供坚实法治保障",
];

/// What a metric counts: the words before the number, its measure word, and the range of values
/// a report gives for it.
pub struct Counted {
    /// Verb and object as written before the number (the metric's label).
    pub label: &'static str,
    /// Measure word after the number.
    pub measure: &'static str,
    /// Smallest and largest plausible value.
    pub range: (u32, u32),
}

const fn counted(label: &'static str, measure: &'static str, range: (u32, u32)) -> Counted {
    Counted {
        label,
        measure,
        range,
    }
}

/// Quantities reports state.
pub const COUNTS: &[Counted] = &[
    counted("化解矛盾纠纷", "宗", (12, 3000)),
    counted("调解矛盾纠纷", "件", (10, 2500)),
    counted("开展法治宣传活动", "场", (5, 400)),
    counted("受理行政复议案件", "件", (2, 600)),
    counted("办理行政应诉案件", "件", (1, 300)),
    counted("办理法律援助案件", "件", (5, 900)),
    counted("审核规范性文件", "件", (3, 200)),
    counted("审查合同协议", "份", (10, 800)),
    counted("提供法律咨询", "人次", (50, 40000)),
    counted("培训执法人员", "人次", (20, 5000)),
    counted("发放宣传资料", "份", (200, 60000)),
    counted("组织旁听庭审", "次", (1, 30)),
    counted("检查经营主体", "家", (20, 6000)),
    counted("梳理权责事项", "项", (50, 3000)),
    counted("培育法治骨干", "名", (10, 900)),
    counted("清理行政规范性文件", "件", (5, 400)),
    counted("主动公开政府信息", "条", (50, 9000)),
    counted("建成公共法律服务站点", "个", (3, 300)),
    counted("开展执法检查", "次", (10, 3000)),
    counted("作出行政处罚决定", "宗", (5, 2000)),
    counted("办理政务服务事项", "件", (500, 90000)),
    counted("接待来访群众", "人次", (30, 9000)),
    counted("举办法治讲座", "期", (2, 120)),
    counted("评查行政执法案卷", "宗", (10, 800)),
    counted("服务企业", "家", (10, 3000)),
];

/// Rates reports state, written with a percent sign.
pub const RATES: &[&str] = &[
    "调解成功率",
    "案件办结率",
    "群众满意率",
    "执法案卷合格率",
    "信息公开按时办结率",
    "行政争议化解率",
];

/// Amounts of money, written with 万元 (value in 元).
pub const AMOUNTS: &[&str] = &["涉及金额", "挽回经济损失", "追回欠薪", "投入法治建设经费"];

/// Hedges written before the number.
pub const HEDGES_BEFORE: &[&str] = &["约", "近", "超", "达"];

/// Hedges written between the number and the measure word.
pub const HEDGES_INSIDE: &[&str] = &["余", "多"];

/// How an invented initiative is introduced: text before and after the quoted name.
pub const INTRODUCTIONS: &[(&str, &str)] = &[
    ("建立", "工作机制"),
    ("推行", "工作模式"),
    ("探索", "模式"),
    ("打造", "品牌"),
    ("创新实施", "工作法"),
    ("深入推进", "改革"),
    ("全面推行", "制度"),
    ("开展", "专项行动"),
];

/// How a known (gazetteer) initiative is introduced, unquoted: text before the name.
pub const KNOWN_VERBS: &[&str] = &["深入落实", "全面推行", "持续深化", "认真执行", "积极推进"];

/// Words a later sentence uses to come back to an initiative already named.
pub const AGAIN: &[&str] = &["依托", "通过", "运用"];

/// Places and roles of the "一X一Y" formula names (一村一法律顾问).
pub const FORMULA_PLACES: &[&str] = &["村", "社区", "企业", "网格", "园区", "校", "楼", "街"];

/// Roles of the "一X一Y" formula names.
pub const FORMULA_ROLES: &[&str] = &["顾问", "律师", "警", "调解员", "法官", "专员", "台账", "站"];

/// Counted bodies of the "三所联调" formula names.
pub const JOINT_BODIES: &[&str] = &["所", "院", "部门", "站", "中心", "室", "员", "方"];

/// Actions of the "三所联调" formula names.
pub const JOINT_ACTIONS: &[&str] = &[
    "联调", "联动", "联审", "联治", "联办", "联防", "共治", "合一",
];

/// Heads of brand names (金湾法润, 平安说事点): the unit's place name goes before them.
pub const BRANDS: &[&str] = &[
    "法润",
    "和事佬",
    "调解通",
    "法治超市",
    "说事点",
    "议事厅",
    "微法庭",
    "连心桥",
    "法护",
    "解纷驿站",
    "法治夜校",
    "共享法庭",
    "法治大院",
    "码上办",
];

/// Cited documents with their type (as a reader names it from the title).
pub const DOCUMENTS: &[(&str, Option<&str>)] = &[
    ("法治政府建设实施纲要(2021—2025年)", Some("纲要")),
    ("中华人民共和国行政处罚法", Some("法律")),
    ("中华人民共和国行政复议法", Some("法律")),
    ("中华人民共和国行政许可法", Some("法律")),
    ("中华人民共和国民法典", Some("法律")),
    ("中华人民共和国宪法", Some("法律")),
    ("中华人民共和国人民调解法", Some("法律")),
    ("优化营商环境条例", Some("条例")),
    ("重大行政决策程序暂行条例", Some("条例")),
    ("信访工作条例", Some("条例")),
    ("政府信息公开条例", Some("条例")),
    (
        "党政主要负责人履行推进法治建设第一责任人职责规定",
        Some("规定"),
    ),
    ("关于加强行政执法协调监督工作体系建设的意见", Some("意见")),
    ("提升行政执法质量三年行动计划(2023—2025年)", Some("计划")),
    ("法治社会建设实施纲要(2020—2025年)", Some("纲要")),
    ("关于进一步规范涉企行政执法检查的实施方案", Some("方案")),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::{Gazetteer, Kind};

    /// Every piece of prose the generator writes freely.
    fn free_text() -> Vec<&'static str> {
        let mut all: Vec<&str> = CLAUSES
            .iter()
            .chain(PROBLEM_CLAUSES)
            .chain(PLAN_CLAUSES)
            .chain(RATES)
            .chain(AMOUNTS)
            .copied()
            .collect();
        all.extend(COUNTS.iter().map(|c| c.label));
        all
    }

    #[test]
    fn prose_names_no_initiative_and_holds_no_number() {
        let gazetteer = Gazetteer::bundled();
        for text in free_text() {
            assert!(
                !gazetteer
                    .find_all(text)
                    .any(|(_, c)| c.kind == Kind::Initiative),
                "{text} names an initiative of the gazetteer"
            );
            assert!(
                !text
                    .chars()
                    .any(|c| c.is_ascii_digit() || "《》“”".contains(c)),
                "{text} holds a number, a title or a quote"
            );
        }
    }
}
