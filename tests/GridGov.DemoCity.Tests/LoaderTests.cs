using System.Collections.Concurrent;
using System.Reflection;
using GridGov.DemoCity;
using GridGov.Grains;

namespace GridGov.DemoCity.Tests;

/// <summary>Drives the loader against recording fakes of the grain interfaces (no cluster).</summary>
public class LoaderTests
{
    public sealed record Call(long Seq, string Grain, string Key, string Method, object?[] Args);

    /// <summary>Records every grain call; answers ProposeRoute with the cell's points and SetWeights with version 1.</summary>
    public sealed class Recorder(DemoCityPlan plan)
    {
        long seq;
        public ConcurrentQueue<Call> Calls { get; } = new();
        readonly Dictionary<string, string[]> pointsByCell = plan.Cells.ToDictionary(c => c.Code, c => c.Points.Select(p => p.Id).Reverse().ToArray());

        public object? Answer(string grain, string key, MethodInfo method, object?[] args)
        {
            Calls.Enqueue(new Call(Interlocked.Increment(ref seq), grain, key, method.Name, args));
            var type = method.ReturnType;
            if (type == typeof(Task)) return Task.CompletedTask;
            if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(Task<>)) throw new NotSupportedException(method.Name);
            object? result = method.Name switch
            {
                nameof(ICellGrain.ProposeRoute) => pointsByCell[key],
                nameof(ICatalogGrain.SetWeights) => new WeightSet(1, (Dictionary<Metric, double>)args[0]!, 80, 60, DateTimeOffset.UnixEpoch, "demo-loader"),
                _ => null,
            };
            return typeof(Task).GetMethod(nameof(Task.FromResult))!.MakeGenericMethod(type.GetGenericArguments()[0]).Invoke(null, [result]);
        }
    }

    public class GrainProxy : DispatchProxy
    {
        public Recorder Recorder { get; set; } = null!;
        public string Grain { get; set; } = "";
        public string Key { get; set; } = "";
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => Recorder.Answer(Grain, Key, targetMethod!, args ?? []);
    }

    public class FactoryProxy : DispatchProxy
    {
        public Recorder Recorder { get; set; } = null!;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod is not { Name: "GetGrain" } || args is not [string key, ..])
                throw new NotSupportedException(targetMethod?.ToString());
            var type = targetMethod.ReturnType;
            var grain = (GrainProxy)DispatchProxy.Create(type, typeof(GrainProxy));
            grain.Recorder = Recorder;
            grain.Grain = type.Name;
            grain.Key = key;
            return grain;
        }
    }

    [Fact]
    public async Task Loader_calls_the_grains_in_dependency_order_and_reports_counts()
    {
        var plan = Plans.Default;
        var recorder = new Recorder(plan);
        var factory = (FactoryProxy)DispatchProxy.Create(typeof(IGrainFactory), typeof(FactoryProxy));
        factory.Recorder = recorder;

        var report = await DemoCityLoader.LoadAsync((IGrainFactory)(object)factory, plan, parallelism: 8);
        var calls = recorder.Calls.OrderBy(c => c.Seq).ToArray();

        Assert.Equal(plan.Jurisdictions.Length, report.Jurisdictions);
        Assert.Equal(120, report.Cells);
        Assert.Equal(120, report.Backups);
        Assert.Equal(1200, report.Points);
        Assert.Equal(120, report.Routes);
        Assert.Equal(1200, report.RoutePoints);
        Assert.Equal(60, report.Quotas);
        Assert.Equal(1, report.WeightVersion);
        Assert.NotEmpty(report.Phases);

        int First(string method) => calls.First(c => c.Method == method).Seq is var s ? (int)s : 0;
        int Last(string method) => calls.Last(c => c.Method == method).Seq is var s ? (int)s : 0;

        Assert.Equal("Configure", calls[0].Method);
        Assert.True(Last("DefineJurisdictions") < First("DefineCategory"));
        Assert.True(Last("DefineCategory") < First("DefinePointType"));
        Assert.True(Last("SetWeights") < First("Register"));
        Assert.True(Last("Register") < First("Create"));
        Assert.True(Last(nameof(ICellGrain.SetDutyList)) < First(nameof(ICellGrain.ProposeRoute)));
        Assert.True(Last(nameof(ICellGrain.SetRoute)) < First(nameof(IInspectorGrain.SetQuota)));

        // Parents before children.
        var defined = new HashSet<string>();
        foreach (var c in calls.Where(c => c.Method == "DefineJurisdictions"))
        {
            var nodes = (JurisdictionNode[])c.Args[0]!;
            foreach (var node in nodes)
            {
                var parent = JurisdictionCode.ParentOf(node.Code);
                Assert.True(parent is null || defined.Contains(parent), $"{node.Code} before its parent.");
            }
            foreach (var node in nodes) defined.Add(node.Code);
        }
        Assert.Equal(plan.Jurisdictions.Length, defined.Count);

        // Every cell is created (with its primary) before any point, backups and duty come after its creation.
        var creates = calls.Where(c => c.Method == "Create").ToArray();
        var lastCell = creates.Where(c => c.Grain == nameof(ICellGrain)).Max(c => c.Seq);
        var firstPoint = creates.Where(c => c.Grain == nameof(IInspectionPointGrain)).Min(c => c.Seq);
        Assert.True(lastCell < firstPoint);
        Assert.Equal(1200, creates.Count(c => c.Grain == nameof(IInspectionPointGrain)));
        foreach (var cell in plan.Cells)
        {
            var mine = calls.Where(c => c.Grain == nameof(ICellGrain) && c.Key == cell.Code).Select(c => c.Method).ToArray();
            Assert.Equal(["Create", "AddBackup", "SetDutyList", "ProposeRoute", "SetRoute"], mine);
        }

        // Routes are what the cell proposed, with the plan's windows, for the primary; actors are the loader supervisor.
        foreach (var c in calls.Where(c => c.Method == nameof(ICellGrain.SetRoute)))
        {
            var route = (PatrolRoute)c.Args[0]!;
            var cell = plan.Cells.Single(x => x.Code == c.Key);
            Assert.Equal(cell.PrimaryInspectorId, route.InspectorId);
            Assert.Equal(cell.Points.Select(p => p.Id).Reverse(), route.PointIds);
            Assert.Same(cell.Windows, route.Windows);
            Assert.Equal(new Actor("demo-loader", Role.Supervisor, "1301"), c.Args[1]);
        }
    }
}
