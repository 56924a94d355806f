using System.Globalization;

namespace GridGov.DemoCity;

/// <summary>
/// Generates a demo city (示范城市): jurisdictions, Voronoi grid cells (网格) around a real city centre, inspection
/// points (点位) of 39 types, responsible units (包保单位), inspectors (网格员), duty lists, windows, quotas and weights.
/// Pure and deterministic: no I/O, and the only random source is <c>new Random(options.Seed)</c>.
/// </summary>
public static class DemoCityGenerator
{
    /// <summary>The demo city's 4-digit code.</summary>
    public const string CityCode = "1301";

    /// <summary>The demo city's name.</summary>
    public const string CityName = "示范市 Demo City";

    /// <summary>Width/height of the city rectangle.</summary>
    const double Aspect = 1.25;

    /// <summary>How far a site may move from its grid slot, as a fraction of the spacing.</summary>
    const double Jitter = 0.3;

    /// <summary>Points keep this far (m) from their cell's boundary; 10 m is promised, the rest absorbs rounding.</summary>
    const double PointMarginMeters = 15;

    /// <summary>Points of one cell try to keep this far (m) apart.</summary>
    const double PointSeparationMeters = 40;

    /// <summary>The patrol windows (定时) every route gets: 08:00–10:00 and 14:00–16:00, every day.</summary>
    public static PatrolWindow[] DefaultWindows() =>
    [
        new(Enum.GetValues<DayOfWeek>(), new TimeOnly(8, 0), new TimeOnly(10, 0)),
        new(Enum.GetValues<DayOfWeek>(), new TimeOnly(14, 0), new TimeOnly(16, 0)),
    ];

    /// <summary>Builds the plan for <paramref name="options"/>; the same options always give the same plan.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of range, or too few inspectors for the streets.</exception>
    public static DemoCityPlan Generate(DemoCityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Cells, 1, nameof(options.Cells));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Cells, 1_000_000, nameof(options.Cells));
        ArgumentOutOfRangeException.ThrowIfNegative(options.PointsPerCell, nameof(options.PointsPerCell));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.PointsPerCell, 999, nameof(options.PointsPerCell));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Units, 1, nameof(options.Units));
        if (!(options.CellSpacingMeters is >= 50 and <= 5_000))
            throw new ArgumentOutOfRangeException(nameof(options), "CellSpacingMeters must be between 50 and 5,000.");
        if (!(options.CenterLat is > -80 and < 80) || !(options.CenterLon is > -180 and < 180))
            throw new ArgumentOutOfRangeException(nameof(options), "The centre must be a real place away from the poles.");
        return new Builder(options).Build();
    }

    /// <summary>How many districts, streets per district and communities per street a city of <paramref name="cells"/> has.</summary>
    /// <remarks>120 cells: 4 × 3 × 2, five cells a community. Larger cities: communities of about 8 cells.</remarks>
    public static (int Districts, int StreetsPerDistrict, int CommunitiesPerStreet) Shape(int cells)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cells, 1);
        var d = Math.Clamp((int)Math.Round(Math.Cbrt(cells) * 0.8), 1, 99);
        var perDistrict = (double)cells / d;
        var s = Math.Clamp((int)Math.Round(Math.Sqrt(perDistrict / 3.3)), 1, 999);
        var perStreet = perDistrict / s;
        var m = Math.Clamp((int)Math.Round(perStreet / (cells <= 200 ? 5.0 : 8.0)), 1, 999);
        while ((long)d * s * m > cells)
        {
            if (m > 1) m--;
            else if (s > 1) s--;
            else d--;
        }
        return (d, s, m);
    }

    sealed class District(int index, string code, string name)
    {
        public int Index { get; } = index;
        public string Code { get; } = code;
        public string Name { get; } = name;
    }

    sealed class Street(int index, string code, string name, District district)
    {
        public int Index { get; } = index;
        public string Code { get; } = code;
        public string Name { get; } = name;
        public District District { get; } = district;
        public List<string> CommunityNames { get; } = [];
        public List<int> Cells { get; } = [];
    }

    sealed class CellDraft(string code, string name, Vec[] ring, Street street)
    {
        public string Code { get; } = code;
        public string Name { get; } = name;
        public Vec[] Ring { get; } = ring;
        public Street Street { get; } = street;
        public string Primary { get; set; } = "";
        public string Backup { get; set; } = "";
    }

    /// <summary>Draws names from a shuffled word pool without repeats; once used up, adds 东/西/南/北… to stay unique.</summary>
    sealed class NamePicker
    {
        readonly string[] words;
        int next;

        public NamePicker(string[] pool, Random rng)
        {
            words = (string[])pool.Clone();
            rng.Shuffle(words);
        }

        public string Next()
        {
            var i = next++;
            var round = i / words.Length;
            var suffix = round < DemoCatalog.RoundSuffixes.Length
                ? DemoCatalog.RoundSuffixes[round]
                : round.ToString(CultureInfo.InvariantCulture);
            return words[i % words.Length] + suffix;
        }
    }

    sealed class Builder(DemoCityOptions options)
    {
        readonly Random rng = new(options.Seed);
        readonly Projection projection = new(options.CenterLat, options.CenterLon);
        readonly List<District> districts = [];
        readonly List<Street> streets = [];
        readonly List<JurisdictionNode> jurisdictions = [];
        readonly List<CellDraft> cells = [];
        readonly CitySettings settings = new(CityName, "Asia/Shanghai", 50, 3);
        readonly PatrolWindow[] windows = DefaultWindows();

        public DemoCityPlan Build()
        {
            var (sites, minX, minY, maxX, maxY) = Sites();
            var rings = DemoGeometry.VoronoiCells(sites, minX, minY, maxX, maxY);
            Hierarchy(sites, rings);

            var categories = DemoCatalog.Categories.Select(c => new Category(c.Code, c.Name)).ToArray();
            var pointTypes = DemoCatalog.PointTypes
                .Select(t => new PointType(t.Code, t.Name, t.MustPatrol, (string[])t.Checklist.Clone(), t.MinVisitsPerDay))
                .ToArray();
            var deadlines = (
                from c in DemoCatalog.Categories
                from severity in new[] { Severity.Urgent, Severity.Major, Severity.Normal }
                select new StageDeadlines(c.Code, severity, DemoCatalog.Limits(severity, c.SlowFix))).ToArray();

            var units = new UnitDirectory(Units());
            var inspectors = Inspectors();
            var types = PointTypesOfPoints();
            var demoCells = Cells(units, types);
            var demoInspectors = WithQuotas(inspectors, demoCells);

            var bounds = new DemoCityBounds(projection.Lon(minX), projection.Lat(minY), projection.Lon(maxX), projection.Lat(maxY));
            return new DemoCityPlan(
                options,
                CityCode,
                settings,
                new GeoPoint(options.CenterLat, options.CenterLon),
                bounds,
                [.. jurisdictions],
                categories,
                pointTypes,
                deadlines,
                units.All,
                new DemoWeights(DemoCatalog.Weights(), 80, 60),
                demoInspectors,
                demoCells);
        }

        /// <summary>Jittered rows of sites filling a rectangle of about Cells × spacing², centred on the city centre.</summary>
        (Vec[] Sites, double MinX, double MinY, double MaxX, double MaxY) Sites()
        {
            var n = options.Cells;
            var spacing = options.CellSpacingMeters;
            var rows = Math.Clamp((int)Math.Round(Math.Sqrt(n / Aspect)), 1, n);
            var width = (double)n / rows * spacing;
            var height = rows * spacing;
            var sites = new Vec[n];
            var k = 0;
            for (var r = 0; r < rows; r++)
            {
                var count = (int)((long)(r + 1) * n / rows - (long)r * n / rows);
                var dx = width / count;
                var y0 = -height / 2 + (r + 0.5) * spacing;
                for (var j = 0; j < count; j++)
                {
                    // Snake order (odd rows east to west): consecutive sites are neighbours, which keeps triangulation fast.
                    var i = r % 2 == 0 ? j : count - 1 - j;
                    var x = -width / 2 + (i + 0.5) * dx + (rng.NextDouble() * 2 - 1) * Jitter * dx;
                    var y = y0 + (rng.NextDouble() * 2 - 1) * Jitter * spacing;
                    sites[k++] = new Vec(x, y);
                }
            }
            return (sites, -width / 2, -height / 2, width / 2, height / 2);
        }

        /// <summary>
        /// Splits the sites into districts, streets and communities by recursive bisection (so every group is compact),
        /// then numbers the cells of each community from the north-west.
        /// </summary>
        void Hierarchy(Vec[] sites, Vec[][] rings)
        {
            var (d, s, m) = Shape(options.Cells);
            var order = Enumerable.Range(0, sites.Length).ToArray();
            var byX = Comparer<int>.Create((a, b) => sites[a].X != sites[b].X ? sites[a].X.CompareTo(sites[b].X) : a.CompareTo(b));
            var byY = Comparer<int>.Create((a, b) => sites[a].Y != sites[b].Y ? sites[a].Y.CompareTo(sites[b].Y) : a.CompareTo(b));
            var northWestFirst = Comparer<int>.Create((a, b) =>
            {
                // Rows of one spacing, north to south, then west to east.
                var ra = Math.Floor(-sites[a].Y / options.CellSpacingMeters);
                var rb = Math.Floor(-sites[b].Y / options.CellSpacingMeters);
                if (ra != rb) return ra.CompareTo(rb);
                return sites[a].X != sites[b].X ? sites[a].X.CompareTo(sites[b].X) : a.CompareTo(b);
            });

            jurisdictions.Add(new JurisdictionNode(CityCode, "示范市", JurisdictionLevel.City));
            var streetNames = new NamePicker(DemoCatalog.PlaceWords, rng);
            var districtNames = new NamePicker(DemoCatalog.PlaceWords, rng);
            var streetNodes = new List<JurisdictionNode>();
            var communityNodes = new List<JurisdictionNode>();

            var districtRanges = Bisect(order, 0, sites.Length, d, sites, byX, byY);
            for (var di = 0; di < districtRanges.Count; di++)
            {
                var districtName = (di < DemoCatalog.DistrictWords.Length ? DemoCatalog.DistrictWords[di] : districtNames.Next()) + "区";
                var district = new District(di, CityCode + (di + 1).ToString("D2", CultureInfo.InvariantCulture), districtName);
                districts.Add(district);
                jurisdictions.Add(new JurisdictionNode(district.Code, district.Name, JurisdictionLevel.District));

                var (dStart, dCount) = districtRanges[di];
                var streetRanges = Bisect(order, dStart, dCount, s, sites, byX, byY);
                for (var si = 0; si < streetRanges.Count; si++)
                {
                    var street = new Street(
                        streets.Count, district.Code + (si + 1).ToString("D3", CultureInfo.InvariantCulture), streetNames.Next() + "街道", district);
                    streets.Add(street);
                    streetNodes.Add(new JurisdictionNode(street.Code, street.Name, JurisdictionLevel.Street));

                    var communityNames = new NamePicker(DemoCatalog.PlaceWords, rng);
                    var (sStart, sCount) = streetRanges[si];
                    var communityRanges = Bisect(order, sStart, sCount, m, sites, byX, byY);
                    for (var ci = 0; ci < communityRanges.Count; ci++)
                    {
                        var communityCode = street.Code + (ci + 1).ToString("D3", CultureInfo.InvariantCulture);
                        var communityName = communityNames.Next() + "社区";
                        street.CommunityNames.Add(communityName);
                        communityNodes.Add(new JurisdictionNode(communityCode, communityName, JurisdictionLevel.Community));

                        var (cStart, cCount) = communityRanges[ci];
                        Array.Sort(order, cStart, cCount, northWestFirst);
                        for (var k = 0; k < cCount; k++)
                        {
                            var site = order[cStart + k];
                            var code = communityCode + (k + 1).ToString("D4", CultureInfo.InvariantCulture);
                            street.Cells.Add(cells.Count);
                            cells.Add(new CellDraft(code, $"{communityName}第{k + 1}网格", rings[site], street));
                        }
                    }
                }
            }
            jurisdictions.AddRange(streetNodes);
            jurisdictions.AddRange(communityNodes);
        }

        /// <summary>Recursive coordinate bisection of order[start..start+count) into <paramref name="groups"/> compact groups.</summary>
        static List<(int Start, int Count)> Bisect(int[] order, int start, int count, int groups, Vec[] sites, IComparer<int> byX, IComparer<int> byY)
        {
            var result = new List<(int, int)>(groups);
            Split(start, count, groups);
            return result;

            void Split(int from, int n, int g)
            {
                if (g <= 1)
                {
                    result.Add((from, n));
                    return;
                }
                double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
                for (var i = from; i < from + n; i++)
                {
                    var p = sites[order[i]];
                    minX = Math.Min(minX, p.X); maxX = Math.Max(maxX, p.X);
                    minY = Math.Min(minY, p.Y); maxY = Math.Max(maxY, p.Y);
                }
                Array.Sort(order, from, n, maxX - minX >= maxY - minY ? byX : byY);
                var g1 = g / 2;
                var n1 = (int)((long)n * g1 / g);
                Split(from, n1, g1);
                Split(from + n1, n - n1, g - g1);
            }
        }

        /// <summary>
        /// Responsible units: each district-level kind once per district, then each street-level kind once per street,
        /// until <see cref="DemoCityOptions.Units"/> are made (further rounds add numbered branches).
        /// </summary>
        List<(ResponsibleUnit Unit, string Kind)> Units()
        {
            var result = new List<(ResponsibleUnit, string)>(options.Units);
            for (var round = 0; result.Count < options.Units; round++)
            {
                var branch = round == 0 ? "" : $"第{round + 1}分部";
                foreach (var kind in DemoCatalog.UnitKinds)
                {
                    if (!kind.PerStreet)
                    {
                        foreach (var district in districts)
                            if (!Add(district.Name + kind.Suffix + branch, district.Code, kind.Key)) return result;
                    }
                    else
                    {
                        foreach (var street in streets)
                        {
                            var name = kind.Key == "jw"
                                ? street.CommunityNames[0] + kind.Suffix
                                : street.Name + kind.Suffix;
                            if (!Add(name + branch, street.Code, kind.Key)) return result;
                        }
                    }
                }
            }
            return result;

            bool Add(string name, string jurisdiction, string kind)
            {
                if (result.Count >= options.Units) return false;
                var id = "U" + (result.Count + 1).ToString("D3", CultureInfo.InvariantCulture);
                result.Add((new ResponsibleUnit(id, name, jurisdiction), kind));
                return true;
            }
        }

        /// <summary>
        /// 定人: inspectors are hired per street (at least two, and enough that nobody is primary for more than the
        /// city's limit), the rest shared out by cell count; primaries are contiguous runs of the street's cells and the
        /// backup is another inspector of the same street.
        /// </summary>
        List<(string Id, RegisterInspector Registration, Street Street)> Inspectors()
        {
            var max = settings.MaxPrimaryCellsPerInspector;
            var need = streets.Select(s => Math.Max(2, (s.Cells.Count + max - 1) / max)).ToArray();
            var required = need.Sum();
            var total = options.Inspectors ?? Math.Max(options.Cells / 2, required);
            if (total < required)
                throw new ArgumentOutOfRangeException(
                    nameof(options), $"{total} inspectors are too few: the {streets.Count} streets need at least {required}.");

            var alloc = (int[])need.Clone();
            var queue = new PriorityQueue<int, (double, int)>();
            for (var i = 0; i < streets.Count; i++) queue.Enqueue(i, Priority(i));
            for (var extra = total - required; extra > 0; extra--)
            {
                var i = queue.Dequeue();
                alloc[i]++;
                queue.Enqueue(i, Priority(i));
            }

            var result = new List<(string, RegisterInspector, Street)>(total);
            for (var si = 0; si < streets.Count; si++)
            {
                var street = streets[si];
                var first = result.Count;
                for (var k = 0; k < alloc[si]; k++)
                {
                    var id = "I" + (result.Count + 1).ToString("D4", CultureInfo.InvariantCulture);
                    var name = DemoCatalog.Surnames[rng.Next(DemoCatalog.Surnames.Length)] + DemoCatalog.GivenNames[rng.Next(DemoCatalog.GivenNames.Length)];
                    result.Add((id, new RegisterInspector(name, street.Code), street));
                }
                var n = street.Cells.Count;
                var team = alloc[si];
                for (var c = 0; c < n; c++)
                {
                    var p = (int)((long)c * team / n);
                    var b = rng.Next(team - 1);
                    if (b >= p) b++;
                    cells[street.Cells[c]].Primary = result[first + p].Item1;
                    cells[street.Cells[c]].Backup = result[first + b].Item1;
                }
            }
            return result;

            (double, int) Priority(int i) => (alloc[i] - (double)total * streets[i].Cells.Count / options.Cells, i);
        }

        /// <summary>
        /// The type of every point (cell-major). The first point of a cell is always of a must-patrol type, so every
        /// route has something to cover; the rest follow the types' weights; every type is used at least once when possible.
        /// </summary>
        int[] PointTypesOfPoints()
        {
            var specs = DemoCatalog.PointTypes;
            var per = options.PointsPerCell;
            var types = new int[cells.Count * per];
            var all = Cumulative(specs.Select(t => t.Weight).ToArray());
            var must = Cumulative(specs.Select(t => t.MustPatrol ? t.Weight : 0).ToArray());
            var counts = new int[specs.Length];
            for (var i = 0; i < types.Length; i++)
            {
                types[i] = Draw(i % per == 0 ? must : all);
                counts[types[i]]++;
            }

            for (var t = 0; t < specs.Length; t++)
            {
                if (counts[t] > 0) continue;
                for (var attempt = 0; attempt < 1000 && types.Length > 0; attempt++)
                {
                    var i = rng.Next(types.Length);
                    var firstOfCell = i % per == 0;
                    if (counts[types[i]] < 2 || (firstOfCell && !specs[t].MustPatrol)) continue;
                    counts[types[i]]--;
                    types[i] = t;
                    counts[t]++;
                    break;
                }
            }
            return types;

            int Draw(double[] cumulative)
            {
                var x = rng.NextDouble() * cumulative[^1];
                var i = Array.BinarySearch(cumulative, x);
                i = i < 0 ? ~i : i + 1;
                return Math.Min(i, cumulative.Length - 1);
            }
        }

        static double[] Cumulative(double[] weights)
        {
            var result = new double[weights.Length];
            var sum = 0.0;
            for (var i = 0; i < weights.Length; i++) result[i] = sum += weights[i];
            return result;
        }

        DemoCell[] Cells(UnitDirectory units, int[] types)
        {
            var per = options.PointsPerCell;
            var specs = DemoCatalog.PointTypes;
            var words = DemoCatalog.PlaceWords;
            var result = new DemoCell[cells.Count];
            var taken = new List<Vec>(per);

            // Routing depends only on the street, so it is worked out once per street.
            Street? street = null;
            DutyEntry[] duty = [];
            var pointUnits = new string[specs.Length];

            for (var c = 0; c < cells.Count; c++)
            {
                var cell = cells[c];
                if (cell.Street != street)
                {
                    street = cell.Street;
                    duty = DemoCatalog.Categories.Select(k => new DutyEntry(k.Code, units.Resolve(k.UnitKinds, street).Id)).ToArray();
                    for (var t = 0; t < specs.Length; t++) pointUnits[t] = units.Resolve(specs[t].UnitKinds, street).Id;
                }

                taken.Clear();
                var points = new CreatePoint[per];
                for (var j = 0; j < per; j++)
                {
                    var type = types[c * per + j];
                    var location = SamplePoint(cell.Ring, taken);
                    taken.Add(location);
                    var w0 = rng.Next(words.Length);
                    var w1 = (w0 + 1 + rng.Next(words.Length - 1)) % words.Length;
                    points[j] = new CreatePoint(
                        cell.Code + "-" + (j + 1).ToString("D3", CultureInfo.InvariantCulture),
                        string.Format(CultureInfo.InvariantCulture, specs[type].NameFormat, words[w0], words[w1]),
                        specs[type].Code,
                        projection.ToGeo(location),
                        pointUnits[type]);
                }

                result[c] = new DemoCell(
                    new CreateCell(cell.Code, cell.Name, DemoGeometry.ToGeoJson(cell.Ring, projection), cell.Primary),
                    [cell.Backup],
                    (DutyEntry[])duty.Clone(),
                    points,
                    windows);
            }
            return result;
        }

        /// <summary>A random point at least the margin inside the convex cell, kept apart from the cell's other points when it can be.</summary>
        Vec SamplePoint(Vec[] ring, List<Vec> taken)
        {
            double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
            foreach (var v in ring)
            {
                minX = Math.Min(minX, v.X); maxX = Math.Max(maxX, v.X);
                minY = Math.Min(minY, v.Y); maxY = Math.Max(maxY, v.Y);
            }
            for (var attempt = 0; attempt < 400; attempt++)
            {
                var p = new Vec(minX + rng.NextDouble() * (maxX - minX), minY + rng.NextDouble() * (maxY - minY));
                if (DemoGeometry.InnerDistance(ring, p) < PointMarginMeters) continue;
                if (attempt < 300 && TooClose(p)) continue;
                return p;
            }
            return DemoGeometry.Centroid(ring);

            bool TooClose(Vec p)
            {
                foreach (var q in taken)
                {
                    double dx = q.X - p.X, dy = q.Y - p.Y;
                    if (dx * dx + dy * dy < PointSeparationMeters * PointSeparationMeters) return true;
                }
                return false;
            }
        }

        /// <summary>定量: two windows a day per primary cell, every must-patrol point once a day, and the twice-a-day types.</summary>
        DemoInspector[] WithQuotas(List<(string Id, RegisterInspector Registration, Street Street)> inspectors, DemoCell[] demoCells)
        {
            var index = new Dictionary<string, int>(inspectors.Count);
            for (var i = 0; i < inspectors.Count; i++) index.Add(inspectors[i].Id, i);
            var primary = inspectors.Select(_ => new List<string>()).ToArray();
            var backup = inspectors.Select(_ => new List<string>()).ToArray();
            var mustPoints = new int[inspectors.Count];
            var twiceADay = inspectors.Select(_ => new SortedDictionary<string, int>(StringComparer.Ordinal)).ToArray();
            var specs = DemoCatalog.PointTypes.ToDictionary(t => t.Code, StringComparer.Ordinal);

            foreach (var cell in demoCells)
            {
                var p = index[cell.PrimaryInspectorId];
                primary[p].Add(cell.Code);
                foreach (var b in cell.BackupInspectorIds) backup[index[b]].Add(cell.Code);
                foreach (var point in cell.Points)
                {
                    var spec = specs[point.TypeCode];
                    if (!spec.MustPatrol) continue;
                    mustPoints[p]++;
                    if (spec.MinVisitsPerDay >= 2)
                        twiceADay[p][spec.Code] = twiceADay[p].GetValueOrDefault(spec.Code) + spec.MinVisitsPerDay;
                }
            }

            return inspectors.Select((x, i) => new DemoInspector(
                x.Id,
                x.Registration,
                [.. primary[i]],
                [.. backup[i]],
                new Quota(windows.Length * primary[i].Count, mustPoints[i], new Dictionary<string, int>(twiceADay[i], StringComparer.Ordinal))))
                .ToArray();
        }
    }

    /// <summary>Finds the unit a category or point type goes to in a street: its own kinds first, then the district's catch-all.</summary>
    sealed class UnitDirectory
    {
        readonly Dictionary<(string Kind, string Jurisdiction), ResponsibleUnit> byKindAndPlace = [];
        readonly Dictionary<string, List<ResponsibleUnit>> byKind = new(StringComparer.Ordinal);
        readonly Dictionary<string, List<ResponsibleUnit>> byPlace = new(StringComparer.Ordinal);
        readonly Dictionary<string, bool> perStreet = DemoCatalog.UnitKinds.ToDictionary(k => k.Key, k => k.PerStreet, StringComparer.Ordinal);

        public UnitDirectory(List<(ResponsibleUnit Unit, string Kind)> units)
        {
            All = units.Select(u => u.Unit).ToArray();
            foreach (var (unit, kind) in units)
            {
                byKindAndPlace.TryAdd((kind, unit.Jurisdiction), unit);
                Bucket(byKind, kind).Add(unit);
                Bucket(byPlace, unit.Jurisdiction).Add(unit);
            }
        }

        public ResponsibleUnit[] All { get; }

        /// <summary>
        /// A unit of the first preferred kind found in the street (street kinds) or district (district kinds); else the
        /// district's first unit (the city-management bureau, its catch-all); else the street's; else the same kind in
        /// another district; else any unit.
        /// </summary>
        public ResponsibleUnit Resolve(string[] kinds, Street street)
        {
            foreach (var kind in kinds)
                if (byKindAndPlace.TryGetValue((kind, perStreet[kind] ? street.Code : street.District.Code), out var unit))
                    return unit;
            if (byPlace.TryGetValue(street.District.Code, out var local)) return local[0];
            if (byPlace.TryGetValue(street.Code, out local)) return local[0];
            foreach (var kind in kinds)
                if (byKind.TryGetValue(kind, out var same))
                    return same[street.District.Index % same.Count];
            return All[street.District.Index % All.Length];
        }

        static List<ResponsibleUnit> Bucket(Dictionary<string, List<ResponsibleUnit>> map, string key)
        {
            if (!map.TryGetValue(key, out var list)) map[key] = list = [];
            return list;
        }
    }
}
