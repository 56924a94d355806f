namespace GridGov.DemoCity;

/// <summary>A kind of responsible unit (责任单位) the demo city has one of per district or per street.</summary>
/// <param name="Key">Short key used by categories and point types to name the units they prefer.</param>
/// <param name="PerStreet">True for street-level units (街道), false for district-level ones (区).</param>
/// <param name="Suffix">Appended to the district or street name (居委会: to the street's first community).</param>
internal sealed record UnitKind(string Key, bool PerStreet, string Suffix);

/// <summary>A category (事件/部件类别) and the unit kinds its tickets go to, best first.</summary>
internal sealed record CategorySpec(string Code, string Name, string[] UnitKinds, bool SlowFix);

/// <summary>A point type (点位类型), how common it is, how its points are named and which unit kinds look after them.</summary>
/// <param name="NameFormat">{0} and {1} are place words.</param>
internal sealed record PointTypeSpec(
    string Code, string Name, bool MustPatrol, int MinVisitsPerDay, double Weight, string NameFormat, string[] UnitKinds, string[] Checklist);

/// <summary>The fixed reference data of the demo city: categories, point types, unit kinds, deadlines, weights.</summary>
internal static class DemoCatalog
{
    /// <summary>District-level kinds first (most useful first), then street-level kinds.</summary>
    public static readonly UnitKind[] UnitKinds =
    [
        new("cg", false, "城市管理局"),
        new("hw", false, "环卫所"),
        new("sz", false, "市政所"),
        new("yl", false, "园林所"),
        new("jj", false, "交警大队"),
        new("sj", false, "市场监督管理局"),
        new("zj", false, "住房和城乡建设局"),
        new("gd", false, "供电所"),
        new("sw", false, "水务局"),
        new("jt", false, "交通运输局"),
        new("hb", false, "生态环境分局"),
        new("jy", false, "教育局"),
        new("wj", false, "卫生健康局"),
        new("gj", false, "公交分公司"),
        new("wl", false, "文化广电和旅游局"),
        new("ga", false, "公安分局"),
        new("ws", false, "文明办"),
        new("zy", false, "自然资源和规划分局"),
        new("rq", false, "燃气分公司"),
        new("tx", false, "通信管线管理办公室"),
        new("jd", true, "办事处"),
        new("zf", true, "综合行政执法队"),
        new("hz", true, "环卫站"),
        new("jw", true, "居委会"),
    ];

    public static readonly CategorySpec[] Categories =
    [
        new("E0101", "暴露垃圾", ["hz", "hw"], false),
        new("E0102", "积存垃圾渣土", ["hw", "hz"], false),
        new("E0103", "道路不洁", ["hz", "hw"], false),
        new("E0104", "乱贴乱画", ["zf", "cg"], false),
        new("E0201", "占道经营", ["zf", "cg"], false),
        new("E0202", "店外经营", ["zf", "cg"], false),
        new("E0203", "违规户外广告", ["cg", "zf"], false),
        new("E0301", "违规停车", ["jj"], false),
        new("E0302", "非机动车乱停放", ["jd", "jj"], false),
        new("E0401", "违章搭建", ["zf", "cg", "zj"], true),
        new("E0402", "工地扬尘", ["zj", "hb"], false),
        new("E0501", "噪音扰民", ["hb", "ga"], false),
        new("E0502", "露天烧烤", ["zf", "cg"], false),
        new("E0601", "不文明行为", ["ws", "jd"], false),
        new("P0101", "井盖缺失", ["sz"], false),
        new("P0102", "道路破损", ["sz"], true),
        new("P0103", "路灯故障", ["sz", "gd"], true),
        new("P0104", "绿化损坏", ["yl"], true),
        new("P0105", "公厕设施损坏", ["hw"], true),
        new("P0106", "交通设施损坏", ["jj", "jt"], true),
        new("P0107", "垃圾桶破损满溢", ["hz", "hw"], false),
        new("P0108", "公交站亭损坏", ["gj", "jt"], true),
    ];

    /// <summary>39 types; 32 must be patrolled.</summary>
    public static readonly PointTypeSpec[] PointTypes =
    [
        new("MARKET", "农贸市场", true, 2, 3, "{0}农贸市场", ["sj", "zf"], ["E0101", "E0103", "E0201", "E0202", "E0301", "E0302", "P0107"]),
        new("BACK_LANE", "背街小巷", true, 1, 10, "{0}巷", ["jd", "hz"], ["E0101", "E0102", "E0104", "E0302", "E0401", "P0101", "P0102", "P0103"]),
        new("MAIN_ROAD", "主次干道", true, 2, 8, "{0}路", ["sz", "cg"], ["E0103", "E0201", "E0203", "E0301", "P0101", "P0102", "P0103", "P0104", "P0106"]),
        new("PARK_SQUARE", "公园广场", true, 1, 4, "{0}公园", ["yl"], ["E0101", "E0104", "E0201", "E0502", "E0601", "P0104", "P0107"]),
        new("SCHOOL", "学校周边", true, 2, 4, "{0}小学周边", ["jy", "zf"], ["E0201", "E0202", "E0301", "E0302", "E0501", "P0106"]),
        new("HOSPITAL", "医院周边", true, 1, 2, "{0}医院周边", ["wj"], ["E0101", "E0201", "E0301", "E0302"]),
        new("RAIL_STATION", "火车站", true, 2, 0.3, "{0}火车站", ["jt"], ["E0101", "E0201", "E0301", "E0601", "P0106"]),
        new("COACH_STATION", "汽车客运站", true, 1, 0.5, "{0}汽车客运站", ["jt"], ["E0101", "E0201", "E0301", "E0601", "P0106"]),
        new("PUBLIC_TOILET", "公共厕所", true, 2, 5, "{0}公厕", ["hw"], ["E0103", "E0104", "P0105"]),
        new("CONSTRUCTION", "建筑工地", true, 1, 3, "{0}项目工地", ["zj"], ["E0102", "E0401", "E0402", "E0501"]),
        new("RESIDENTIAL", "居民小区", true, 1, 10, "{0}小区", ["jw", "jd"], ["E0101", "E0302", "E0401", "E0501", "P0104", "P0107"]),
        new("OLD_RESIDENTIAL", "老旧小区", true, 1, 6, "{0}宿舍院", ["jd", "jw"], ["E0101", "E0102", "E0302", "E0401", "P0101", "P0103"]),
        new("COMMERCIAL_STREET", "商业街", true, 2, 4, "{0}商业街", ["cg", "sj"], ["E0104", "E0202", "E0203", "E0301", "E0302", "E0501"]),
        new("MALL", "商场超市", true, 1, 3, "{0}购物中心", ["sj"], ["E0101", "E0202", "E0301", "E0302"]),
        new("BRIDGE", "桥梁", true, 1, 1.5, "{0}桥", ["sz"], ["E0101", "E0104", "P0102", "P0103"]),
        new("RIVER", "河道", true, 1, 1.5, "{0}河段", ["sw"], ["E0101", "E0102", "P0104"]),
        new("BUS_STOP", "公交站台", true, 1, 6, "{0}公交站", ["gj"], ["E0101", "E0104", "E0201", "P0108"]),
        new("INTERSECTION", "主要交通路口", true, 2, 6, "{0}路与{1}路交叉口", ["jj"], ["E0201", "E0301", "E0302", "P0106"]),
        new("URBAN_VILLAGE", "城中村", true, 1, 2, "{0}村", ["jd"], ["E0101", "E0102", "E0401", "E0502"]),
        new("URBAN_FRINGE", "城乡结合部", true, 1, 1.5, "{0}城乡结合部", ["jd", "zf"], ["E0101", "E0102", "E0401"]),
        new("FOOD_STREET", "餐饮集中区", true, 2, 2, "{0}美食街", ["sj", "zf"], ["E0101", "E0202", "E0501", "E0502"]),
        new("HOTEL", "宾馆酒店", false, 1, 2, "{0}宾馆", ["sj"], ["E0202", "E0301"]),
        new("BANK", "银行网点", false, 1, 2, "{0}银行网点", ["ws"], ["E0104", "E0302"]),
        new("GOV_SERVICE", "政务服务中心", true, 1, 1, "{0}政务服务中心", ["ws"], ["E0301", "E0302", "E0601"]),
        new("CIVILITY_STATION", "新时代文明实践站", true, 1, 2, "{0}新时代文明实践站", ["ws", "jd"], ["E0104", "E0601"]),
        new("COMMUNITY_SERVICE", "社区综合服务站", true, 1, 3, "{0}社区服务站", ["jw", "jd"], ["E0101", "E0601"]),
        new("LIBRARY", "图书馆", false, 1, 0.5, "{0}图书馆", ["wl"], ["E0601"]),
        new("MUSEUM", "博物馆纪念馆", false, 1, 0.5, "{0}纪念馆", ["wl"], ["E0601"]),
        new("CULTURAL_CENTER", "文化馆", false, 1, 0.7, "{0}文化馆", ["wl"], ["E0104", "E0601"]),
        new("STADIUM", "体育场馆", true, 1, 0.7, "{0}体育馆", ["wl", "cg"], ["E0101", "E0201", "E0301"]),
        new("SCENIC_AREA", "旅游景区", true, 2, 0.5, "{0}景区", ["wl"], ["E0101", "E0201", "E0601", "P0105"]),
        new("INTERNET_CAFE", "网吧", false, 1, 1, "{0}网吧", ["wl", "ga"], ["E0601"]),
        new("YOUTH_CENTER", "未成年人活动场所", true, 1, 1, "{0}青少年活动中心", ["jy"], ["E0104", "E0601"]),
        new("PARKING", "停车场", true, 1, 2, "{0}停车场", ["jj", "jt"], ["E0301", "E0302", "P0106"]),
        new("UNDERPASS", "桥下空间", true, 1, 1, "{0}立交桥下", ["sz"], ["E0102", "E0104", "E0401"]),
        new("GAS_STATION", "加油站", false, 1, 1, "{0}加油站", ["sj"], ["E0101"]),
        new("WASTE_TRANSFER", "垃圾中转站", true, 2, 1.5, "{0}垃圾中转站", ["hw"], ["E0101", "E0102", "E0103", "P0107"]),
        new("POCKET_PARK", "街头游园", true, 1, 2.5, "{0}游园", ["yl"], ["E0101", "E0502", "P0104"]),
        new("NIGHT_MARKET", "夜市", true, 1, 1, "{0}夜市", ["zf", "sj"], ["E0101", "E0201", "E0501", "E0502"]),
    ];

    /// <summary>The stages a deadline is set for, in loop order.</summary>
    public static readonly TicketStage[] TimedStages =
        [TicketStage.Reported, TicketStage.Accepted, TicketStage.Dispatched, TicketStage.Returned, TicketStage.Handled, TicketStage.Verified];

    /// <summary>
    /// 定质: stage limits. Reported → accept (立案), Accepted → dispatch (派遣), Dispatched → handle (处置),
    /// Returned → re-dispatch, Handled → verify (核查), Verified → close (结案). Slow fixes (repairs, demolition)
    /// get three times as long to handle unless urgent.
    /// </summary>
    public static Dictionary<TicketStage, TimeSpan> Limits(Severity severity, bool slowFix)
    {
        var (reported, accepted, dispatched, returned, handled, verified) = severity switch
        {
            Severity.Urgent => (10.0, 30.0, 120.0, 30.0, 60.0, 30.0),
            Severity.Major => (30.0, 60.0, 8 * 60.0, 60.0, 4 * 60.0, 2 * 60.0),
            _ => (60.0, 2 * 60.0, 24 * 60.0, 2 * 60.0, 24 * 60.0, 8 * 60.0),
        };
        if (slowFix && severity != Severity.Urgent) dispatched *= 3;
        return new()
        {
            [TicketStage.Reported] = TimeSpan.FromMinutes(reported),
            [TicketStage.Accepted] = TimeSpan.FromMinutes(accepted),
            [TicketStage.Dispatched] = TimeSpan.FromMinutes(dispatched),
            [TicketStage.Returned] = TimeSpan.FromMinutes(returned),
            [TicketStage.Handled] = TimeSpan.FromMinutes(handled),
            [TicketStage.Verified] = TimeSpan.FromMinutes(verified),
        };
    }

    /// <summary>定考核: default weights (they sum to 1) for every metric.</summary>
    public static Dictionary<Metric, double> Weights()
    {
        var weights = new Dictionary<Metric, double>();
        foreach (var metric in Enum.GetValues<Metric>())
        {
            weights[metric] = metric switch
            {
                Metric.PatrolCoverage => 0.25,
                Metric.OnTimePatrol => 0.15,
                Metric.QuotaCompletion => 0.15,
                Metric.IssuesFound => 0.15,
                Metric.OnTimeClosure => 0.20,
                Metric.FirstTimeFix => 0.10,
                _ => 0.0,
            };
        }
        return weights;
    }

    /// <summary>District names, used in order.</summary>
    public static readonly string[] DistrictWords =
        ["长安", "桥西", "新华", "裕华", "高新", "栾城", "藁城", "鹿泉", "正定", "井陉", "循环化工", "滹沱新"];

    /// <summary>Place words for streets, communities and points.</summary>
    public static readonly string[] PlaceWords =
    [
        "建设", "和平", "胜利", "人民", "中山", "槐安", "友谊", "平安", "育才", "体育",
        "维明", "东风", "北新", "南新", "红旗", "光明", "幸福", "跃进", "民族", "联盟",
        "石岗", "翟营", "塔谈", "仓安", "站前", "新石", "西里", "富强", "民主", "文明",
        "和谐", "振兴", "兴华", "华安", "青园", "柏林", "桃园", "杏园", "梅园", "兰亭",
        "翠屏", "金桥", "银河", "星光", "朝阳", "向阳", "东方", "南华", "西城", "北城",
        "东岗", "南焦", "北焦", "范西", "槐中", "建华", "广安", "汇通", "泰华", "汇丰",
        "谈固", "西美", "东明", "安联", "天山", "太行", "燕赵", "京华", "永安", "永昌",
        "永兴", "德胜", "正阳", "水源", "工农", "丰收", "瑞城", "新苑", "锦绣", "龙泉",
        "凤凰", "春风", "秋实", "丽景", "滨河", "湖滨", "园博", "博雅", "文化", "学府",
        "方北", "益友", "合作", "裕东", "裕西", "长丰", "新合", "留营", "东里", "保利",
    ];

    /// <summary>Suffixes that keep names unique once the word pool is used up.</summary>
    public static readonly string[] RoundSuffixes = ["", "东", "西", "南", "北", "中", "新"];

    public static readonly string[] Surnames =
    [
        "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗",
        "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕",
    ];

    public static readonly string[] GivenNames =
    [
        "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平",
        "刚", "桂英", "建华", "建国", "志强", "海燕", "晓东", "国庆", "红梅", "文", "斌", "鹏", "辉", "玲", "莉", "浩", "宇", "欣",
        "婷", "雪", "立新", "春生", "玉兰", "凤英", "振华", "卫东", "丽娟", "俊杰", "子涵", "雨桐",
    ];
}
