using System.Globalization;

namespace GridGov.LoadSim;

/// <summary>What to simulate; parsed from the command line (see <see cref="Usage"/>).</summary>
public sealed record LoadSimOptions
{
    /// <summary>City sizes in cells (10 points per cell).</summary>
    public int[] Cells { get; init; } = [1_000];
    public string[] Modes { get; init; } = ["embedded", "postgres"];
    /// <summary>Cities larger than this are skipped in PostgreSQL mode (loading them takes minutes on 2 cores).</summary>
    public int MaxPostgresCells { get; init; } = 1_000;
    /// <summary>Seconds each operation is driven for, per driver.</summary>
    public double Seconds { get; init; } = 4;
    /// <summary>Seconds each operation is driven, unmeasured, before its measured run (JIT tiers, connections, caches).</summary>
    public double WarmupSeconds { get; init; } = 5;
    /// <summary>Concurrent HTTP clients of the GraphQL driver (and of the bare-Kestrel limit).</summary>
    public int Clients { get; init; } = 64;
    /// <summary>Concurrent loops of the grain driver.</summary>
    public int GrainWorkers { get; init; } = 256;
    /// <summary>Connections of the raw PostgreSQL write limit.</summary>
    public int PgConnections { get; init; } = 32;
    public int PointsPerCell { get; init; } = 10;
    public string Out { get; init; } = "bench";
    /// <summary>Operations to drive (default all of <see cref="Ops.All"/>), e.g. only check-ins while profiling.</summary>
    public string[] Ops { get; init; } = GridGov.LoadSim.Ops.All;
    /// <summary>Drivers to use: grains, graphql.</summary>
    public string[] Drivers { get; init; } = ["grains", "graphql"];
    public bool MeasureLimits { get; init; } = true;
    /// <summary>Time the pieces of the check-in path (grain round trip, cell write, journal, stream).</summary>
    public bool Breakdown { get; init; } = true;
    /// <summary>Extra configuration for the GridGov host under test (key=value), e.g. GridGov:Dashboard:Enabled=true.</summary>
    public string[] HostSettings { get; init; } = [];
    /// <summary>When above 0, logs the types each run allocates most (sampled; see <see cref="AllocationSampler"/>).</summary>
    public int AllocationTypes { get; init; }
    public Action<string> Log { get; init; } = s => Console.WriteLine($"{DateTime.Now:HH:mm:ss} {s}");

    public TimeSpan Duration => TimeSpan.FromSeconds(Seconds);

    public const string Usage = """
        GridGov load simulator and benchmark.
          --cells 1000,10000          city sizes (cells; 10 points each)
          --modes embedded,postgres   storage modes
          --max-pg-cells 1000         skip larger cities in PostgreSQL mode
          --seconds 4                 seconds per operation per driver
          --warmup 5                  unmeasured seconds before each operation's run
          --clients 64                concurrent GraphQL-over-HTTP clients
          --grain-workers 256         concurrent grain-call loops
          --pg-connections 32         connections of the raw PostgreSQL write limit
          --out bench                 report directory (report.md, report.json)
          --ops check-in,report       operations to drive: check-in, report, transition, cell-live, district-live (default all)
          --drivers grains,graphql    drivers to use
          --no-limits                 skip the raw PostgreSQL / bare Kestrel limits
          --no-breakdown              skip timing the pieces of the check-in path
          --alloc-types 15            log the 15 types each run allocates most (sampled allocation ticks)
          --host-setting key=value    configuration for the host under test (repeatable), e.g. GridGov:Dashboard:Enabled=true
        """;

    public static LoadSimOptions Parse(string[] args)
    {
        var o = new LoadSimOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            static string[] List(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => v.Trim().ToLowerInvariant()).ToArray();
            static int[] Ints(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v.Replace("_", ""), CultureInfo.InvariantCulture)).ToArray();
            o = args[i] switch
            {
                "--cells" => o with { Cells = Ints(Next()) },
                "--modes" => o with { Modes = Next().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(m => m.Trim().ToLowerInvariant()).ToArray() },
                "--max-pg-cells" => o with { MaxPostgresCells = Ints(Next())[0] },
                "--seconds" => o with { Seconds = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--warmup" => o with { WarmupSeconds = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--clients" => o with { Clients = Ints(Next())[0] },
                "--grain-workers" => o with { GrainWorkers = Ints(Next())[0] },
                "--pg-connections" => o with { PgConnections = Ints(Next())[0] },
                "--points-per-cell" => o with { PointsPerCell = Ints(Next())[0] },
                "--out" => o with { Out = Next() },
                "--ops" => o with { Ops = List(Next()).Select(k => GridGov.LoadSim.Ops.ByKey.TryGetValue(k, out var op) ? op : throw new ArgumentException($"Unknown operation {k}: {string.Join(", ", GridGov.LoadSim.Ops.ByKey.Keys)}")).ToArray() },
                "--drivers" => o with { Drivers = List(Next()) },
                "--no-limits" => o with { MeasureLimits = false },
                "--no-breakdown" => o with { Breakdown = false },
                "--alloc-types" => o with { AllocationTypes = Ints(Next())[0] },
                "--host-setting" => o with { HostSettings = [.. o.HostSettings, Next() is var kv && kv.Contains('=') ? kv : throw new ArgumentException($"--host-setting needs key=value, got {kv}")] },
                _ => throw new ArgumentException($"Unknown option {args[i]}\n{Usage}"),
            };
        }
        foreach (var d in o.Drivers)
            if (d is not ("grains" or "graphql")) throw new ArgumentException($"Unknown driver {d}: grains or graphql");
        foreach (var m in o.Modes)
            if (m is not ("embedded" or "postgres")) throw new ArgumentException($"Unknown mode {m}: embedded or postgres");
        return o;
    }
}
