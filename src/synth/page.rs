//! The page around a report, as government portals serve it: a top bar, the site's menu with its
//! sub-columns, a breadcrumb, the article's information line; after the report the share and
//! print links, a list of related articles and the site footer (主办单位, 网站标识码, ICP and
//! 公网安备 numbers). HTML pages also carry what their templates do: meta tags, style sheets,
//! scripts, a search form, and content pasted from a word processor (styled paragraphs).
//!
//! None of it is report text: the record a report should extract to is the same whatever page
//! surrounds it, which is what makes the chrome a test of the extractor.

use super::Rng;

/// Top-level columns of a portal's menu, each with sub-columns.
const MENU: &[(&str, &[&str])] = &[
    ("首页", &[]),
    (
        "要闻动态",
        &["政务要闻", "部门动态", "镇街动态", "通知公告", "图片新闻"],
    ),
    (
        "政务公开",
        &[
            "政府信息公开指南",
            "政府信息公开制度",
            "法定主动公开内容",
            "政府信息公开年报",
            "法治政府建设",
            "重大行政决策",
            "规范性文件",
            "财政资金",
            "建议提案办理",
        ],
    ),
    (
        "政务服务",
        &["个人办事", "法人办事", "便民服务", "办事指南"],
    ),
    (
        "互动交流",
        &["书记信箱", "在线访谈", "征集调查", "咨询投诉"],
    ),
    ("专题专栏", &["优化营商环境", "乡村振兴", "安全生产"]),
    ("数据开放", &[]),
];

/// Headings of the related-articles list under an article.
const RELATED: &[&str] = &["相关文章", "相关阅读", "相关链接", "相关新闻", "推荐阅读"];

/// Titles of other articles a portal lists beside a report (`{r}` the site's region, `{y}` a year).
const OTHER_ARTICLES: &[&str] = &[
    "{r}司法局{y}年法治政府建设年度报告",
    "{r}人民政府关于{y}年度法治政府建设情况的报告",
    "{r}召开{y}年度法治政府建设工作推进会",
    "{r}{y}年政府信息公开工作年度报告",
    "{r}市场监督管理局{y}年法治政府建设年度报告",
    "{r}开展{y}年度行政执法案卷评查工作",
];

/// GB/T 2260 province codes and the abbreviation of ICP and 公网安备 numbers.
const PROVINCE_ABBREVIATIONS: &[(&str, &str)] = &[
    ("11", "京"),
    ("12", "津"),
    ("13", "冀"),
    ("14", "晋"),
    ("15", "蒙"),
    ("21", "辽"),
    ("22", "吉"),
    ("23", "黑"),
    ("31", "沪"),
    ("32", "苏"),
    ("33", "浙"),
    ("34", "皖"),
    ("35", "闽"),
    ("36", "赣"),
    ("37", "鲁"),
    ("41", "豫"),
    ("42", "鄂"),
    ("43", "湘"),
    ("44", "粤"),
    ("45", "桂"),
    ("46", "琼"),
    ("50", "渝"),
    ("51", "川"),
    ("52", "黔"),
    ("53", "滇"),
    ("54", "藏"),
    ("61", "陕"),
    ("62", "甘"),
    ("63", "青"),
    ("64", "宁"),
    ("65", "新"),
];

/// Style rules of a portal's sheet: repeated with the template's own class names, they make the
/// few kilobytes of inline CSS real pages carry.
const STYLE_RULES: &[&str] = &[
    "{c}{margin:0 auto;width:1200px;overflow:hidden}",
    "{c} a{color:#333;text-decoration:none}",
    "{c} a:hover{color:#c00;text-decoration:underline}",
    "{c} li{float:left;height:42px;line-height:42px;padding:0 18px;font-size:16px}",
    "{c} .sub{display:none;position:absolute;top:42px;left:0;background:#fff;border:1px solid #ddd}",
    "{c} h1{font-size:26px;color:#1a5ca8;line-height:40px;text-align:center;padding:20px 0}",
    "{c} p{text-indent:2em;line-height:2;margin:0 0 10px;font-size:16px}",
    "@media screen and (max-width:768px){{c}{width:100%;padding:0 10px}}",
];

/// Class names of template blocks.
const CLASSES: &[&str] = &[
    ".top-bar", ".header", ".logo", ".search", ".nav", ".menu", ".crumb", ".article", ".info",
    ".content", ".share", ".related", ".footer", ".w1200", ".main", ".side",
];

/// Scripts a template runs: a loader, statistics, the font-size buttons and the share bar.
const SCRIPTS: &[&str] = &[
    "var _hmt = _hmt || [];\n(function() {\n  var hm = document.createElement(\"script\");\n  hm.src = \"https://hm.baidu.com/hm.js?{h}\";\n  var s = document.getElementsByTagName(\"script\")[0];\n  s.parentNode.insertBefore(hm, s);\n})();",
    "function doZoom(size){ var c = document.getElementById('zoom'); if(!c) return; c.style.fontSize = size + 'px'; var ps = c.getElementsByTagName('p'); for (var i = 0; i < ps.length; i++) { ps[i].style.fontSize = size + 'px'; } }",
    "$(function(){ $('.nav li').hover(function(){ $(this).find('.sub').stop(true,true).slideDown(200); }, function(){ $(this).find('.sub').stop(true,true).slideUp(100); }); $('.share a').on('click', function(e){ e.preventDefault(); window.open($(this).attr('href'), '_blank', 'width=600,height=450'); }); });",
    "if (window.location.protocol === 'http:') { var img = new Image(); img.src = '/stat/visit?id={h}&r=' + Math.random(); }",
    "document.write(unescape(\"%3Cspan id='_ideConac' %3E%3C/span%3E%3Cscript src='https://dcs.conac.cn/js/{h}.js' type='text/javascript'%3E%3C/script%3E\"));",
];

/// Paragraphs of content pasted from a word processor (editors keep Word's classes and mso-
/// properties).
const PARAGRAPH_TAGS: &[&str] = &[
    "<p style=\"text-indent: 2em; line-height: 2em; font-family: 仿宋_GB2312; font-size: 16pt;\">",
    "<p style=\"margin-top: 0px; margin-bottom: 0px; text-indent: 2em; line-height: 1.75em; text-align: justify;\">",
    "<p style=\"text-align: justify; text-indent: 32px; line-height: 28px; font-size: 16px; font-family: 宋体;\">",
    "<p class=\"MsoNormal\" style=\"text-indent:32.0pt;mso-char-indent-count:2.0;line-height:28.0pt;mso-line-height-rule:exactly;text-align:justify;text-justify:inter-ideograph\">",
];

/// Inline wrappers of pasted runs.
const INLINE_STYLES: &[&str] = &[
    "<span style=\"font-family: 仿宋_GB2312; font-size: 16pt;\">",
    "<span style=\"font-size:16.0pt;font-family:仿宋_GB2312;mso-hansi-font-family:仿宋;mso-bidi-font-family:仿宋;color:black\">",
];

/// The site a report is published on, and the pieces of its page.
pub(super) struct Site {
    /// Site name (XX区人民政府门户网站).
    pub name: String,
    /// The region the site belongs to (金湾区), for the articles it lists.
    region: String,
    /// The region's six-digit code (the first digits of 网站标识码 and 公网安备 numbers).
    region_code: String,
    /// 网站标识码: ten digits, the region's code first.
    code: String,
    /// Abbreviation for ICP and 公网安备 numbers.
    abbreviation: &'static str,
}

impl Site {
    /// The site of the government of `region` (its code `gb_code`, six digits; padded when
    /// shorter or missing).
    pub fn new(region: &str, gb_code: &str, rng: &mut Rng) -> Site {
        let abbreviation = PROVINCE_ABBREVIATIONS
            .iter()
            .find(|(p, _)| gb_code.starts_with(p))
            .map_or("京", |(_, a)| a);
        let region_code: String = format!("{gb_code:0<6}").chars().take(6).collect();
        Site {
            name: format!("{region}人民政府门户网站"),
            region: region.to_string(),
            code: format!("{region_code}{:04}", rng.below(10_000)),
            region_code,
            abbreviation,
        }
    }

    /// The menu as a crawler flattens it: one link per line, sub-columns after their column.
    pub fn menu_lines(&self, rng: &mut Rng) -> String {
        let mut out = format!("无障碍\n长者模式\n登录\n注册\n{}\n", self.name);
        for (column, subs) in MENU {
            out.push_str(column);
            out.push('\n');
            if rng.chance(0.6) {
                for s in *subs {
                    out.push_str(s);
                    out.push('\n');
                }
            }
        }
        out
    }

    /// Related articles as flattened text: the heading, then a title and its date per line.
    pub fn related_lines(&self, rng: &mut Rng, year: i32) -> String {
        let heading = *rng.pick(RELATED);
        let mut out = format!("{heading}\n");
        for (title, date) in self.related(rng, year) {
            out.push_str(&format!("{title}\t{date}\n"));
        }
        out
    }

    /// Titles and dates of three to six other articles of the site.
    fn related(&self, rng: &mut Rng, year: i32) -> Vec<(String, String)> {
        (0..3 + rng.below(4))
            .map(|_| {
                let y = year - rng.below(3) as i32;
                let title = rng
                    .pick(OTHER_ARTICLES)
                    .replace("{r}", &self.region)
                    .replace("{y}", &y.to_string());
                let date = format!(
                    "{}-{:02}-{:02}",
                    y + 1,
                    rng.between(1, 12),
                    rng.between(1, 28)
                );
                (title, date)
            })
            .collect()
    }

    /// The footer as flattened text, a line each.
    pub fn footer_lines(&self, rng: &mut Rng) -> String {
        self.footer(rng).iter().map(|l| format!("{l}\n")).collect()
    }

    /// The footer: links, who runs the site, its identification and registration numbers.
    fn footer(&self, rng: &mut Rng) -> [String; 4] {
        let (region, a) = (&self.region, self.abbreviation);
        [
            "网站地图 | 联系我们 | 隐私声明 | 使用帮助".to_string(),
            format!("主办单位：{region}人民政府办公室  承办单位：{region}政务服务数据管理局"),
            format!(
                "网站标识码：{}  {a}ICP备{:08}号-{}  {a}公网安备 {}{:08}号",
                self.code,
                rng.below(100_000_000),
                1 + rng.below(3),
                self.region_code,
                rng.below(100_000_000),
            ),
            "为确保最佳浏览效果，建议使用IE10以上版本浏览器".to_string(),
        ]
    }

    /// An HTML page's head, top bar, search form, menu, breadcrumb, heading and information
    /// line, up to the opening of the content block.
    pub fn html_top(&self, rng: &mut Rng, title: &str, date: &str, source: &str) -> String {
        let hash = format!("{:016x}", rng.next_u64());
        let mut out = format!(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"X-UA-Compatible\" content=\"IE=edge,chrome=1\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\">\n<meta name=\"SiteName\" content=\"{site}\">\n<meta name=\"SiteIDCode\" content=\"{code}\">\n<meta name=\"ColumnName\" content=\"法治政府建设\">\n<meta name=\"ArticleTitle\" content=\"{title}\">\n<meta name=\"PubDate\" content=\"{date} 09:30\">\n<meta name=\"ContentSource\" content=\"{source}\">\n<title>{title}_{site}</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"/images/common.css\">\n<script type=\"text/javascript\" src=\"/js/jquery-1.12.4.min.js\"></script>\n<style type=\"text/css\">\n",
            site = self.name,
            code = self.code,
        );
        out.push_str(&style_sheet(rng));
        out.push_str("</style>\n</head>\n<body>\n<div class=\"top-bar\"><div class=\"w1200\"><span class=\"welcome\">欢迎访问");
        out.push_str(&self.name);
        out.push_str("！</span><a href=\"javascript:void(0)\" id=\"wza\">无障碍</a> <a href=\"/oldage/\">长者模式</a> <a href=\"/login\">登录</a></div></div>\n<div class=\"header\"><div class=\"w1200\"><div class=\"logo\"><a href=\"/\"><img src=\"/images/logo.png\" alt=\"");
        out.push_str(&self.name);
        out.push_str("\"></a></div>\n<form class=\"search\" action=\"/search\" method=\"get\"><input type=\"text\" name=\"q\" placeholder=\"请输入关键字\"><button type=\"submit\">搜索</button></form></div></div>\n");
        out.push_str(&html_menu());
        out.push_str(&format!(
            "<div class=\"crumb w1200\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"/zwgk/\">政务公开</a> &gt; <a href=\"/zwgk/fzzf/\">法治政府建设</a></div>\n<div class=\"article w1200\">\n<h1>{title}</h1>\n<div class=\"info\"><span>发布日期：{date}</span> <span>来源：{source}</span> <span>浏览次数：<script>document.write(Math.floor(Math.random()*900)+100)</script></span> <span class=\"zoom\">字号：<a href=\"javascript:doZoom(18)\">大</a> <a href=\"javascript:doZoom(16)\">中</a> <a href=\"javascript:doZoom(14)\">小</a></span></div>\n<div class=\"content TRS_Editor\" id=\"zoom\">\n"
        ));
        out.push_str(&format!("<script>var articleId = '{hash}';</script>\n"));
        out
    }

    /// After the content block: share and print links, related articles, the footer, scripts.
    pub fn html_bottom(&self, rng: &mut Rng, year: i32) -> String {
        let hash = format!("{:016x}", rng.next_u64());
        let mut out = String::from(
            "</div>\n<div class=\"share\">分享到：<a class=\"wx\" href=\"javascript:void(0)\">微信</a> <a class=\"wb\" href=\"https://service.weibo.com/share/share.php\">微博</a></div>\n<div class=\"print\"><a href=\"javascript:window.print()\">【打印本页】</a> <a href=\"javascript:window.close()\">【关闭窗口】</a></div>\n</div>\n",
        );
        if rng.chance(0.7) {
            out.push_str(&format!(
                "<div class=\"related w1200\"><h3>{}</h3><ul>\n",
                rng.pick(RELATED)
            ));
            for (title, date) in self.related(rng, year) {
                out.push_str(&format!(
                    "<li><a href=\"/zwgk/fzzf/{hash}.html\" title=\"{title}\">{title}</a><span class=\"date\">{date}</span></li>\n"
                ));
            }
            out.push_str("</ul></div>\n");
        }
        // Newer templates put the footer in <footer>, older ones in a <div>.
        let element = if rng.chance(0.5) { "footer" } else { "div" };
        out.push_str(&format!(
            "<{element} class=\"footer\"><div class=\"w1200\">\n"
        ));
        for line in self.footer(rng) {
            out.push_str(&format!("<p>{line}</p>\n"));
        }
        out.push_str(&format!("</div></{element}>\n"));
        for _ in 0..2 + rng.below(3) {
            out.push_str("<script type=\"text/javascript\">\n");
            out.push_str(&rng.pick(SCRIPTS).replace("{h}", &hash));
            out.push_str("\n</script>\n");
        }
        out.push_str("</body>\n</html>\n");
        out
    }
}

/// The menu of an HTML page: the columns and their sub-columns as nested lists.
fn html_menu() -> String {
    let mut out = String::from("<div class=\"nav\"><div class=\"w1200\"><ul class=\"menu\">\n");
    for (n, (column, subs)) in MENU.iter().enumerate() {
        out.push_str(&format!(
            "<li class=\"item{n}\"><a href=\"/col{n}/\" target=\"_self\">{column}</a>"
        ));
        if !subs.is_empty() {
            out.push_str("<div class=\"sub\">");
            for (k, s) in subs.iter().enumerate() {
                out.push_str(&format!("<a href=\"/col{n}/sub{k}/\">{s}</a>"));
            }
            out.push_str("</div>");
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul></div></div>\n");
    out
}

/// A template's inline style sheet: its rules for each of its blocks (a few kilobytes).
fn style_sheet(rng: &mut Rng) -> String {
    let mut out = String::new();
    for class in CLASSES {
        for rule in STYLE_RULES {
            if rng.chance(0.6) {
                out.push_str(&rule.replace("{c}", class));
                out.push('\n');
            }
        }
    }
    out
}

/// How a paragraph is written: what opens it, an inline wrapper around its text, what closes it.
#[derive(Clone, Copy)]
pub(super) struct Paragraph {
    /// Before the paragraph (a line break and indentation, or a styled `<p>`).
    pub open: &'static str,
    /// Around its text: the `<span>` a word processor wraps a pasted run in, and its end tag.
    pub inline: Option<(&'static str, &'static str)>,
    /// After it.
    pub close: &'static str,
}

/// Paragraphs of plain text: a blank line, then two ideographic spaces of indentation.
pub(super) const TEXT_PARAGRAPH: Paragraph = Paragraph {
    open: "\n\n\u{3000}\u{3000}",
    inline: None,
    close: "",
};

/// The tags of a content paragraph pasted from a word processor.
pub(super) fn paragraph_tags(rng: &mut Rng) -> Paragraph {
    Paragraph {
        open: rng.pick::<&str>(PARAGRAPH_TAGS),
        inline: rng
            .chance(0.5)
            .then(|| (*rng.pick(INLINE_STYLES), "</span>")),
        close: "</p>\n",
    }
}
