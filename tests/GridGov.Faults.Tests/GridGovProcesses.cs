using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text;

namespace GridGov.Faults.Tests;

/// <summary>
/// Two silo processes and one client-mode API process on loopback, all on one PostgreSQL database, started with
/// <c>dotnet &lt;dll&gt;</c> from the projects' own build outputs. Each process gets free ports, the shared signing key
/// and fast failure detection; its stdout and stderr go to a file under <see cref="LogDirectory"/>.
/// Dispose kills every process (whole tree), whatever state the test left them in.
/// </summary>
public sealed class GridGovProcesses : IAsyncDisposable
{
    public const string SigningKey = "gridgov-fault-tests-signing-key-0123456789abcdef";

    static readonly TimeSpan ReadyBound = TimeSpan.FromSeconds(90);

    readonly List<Managed> _all = [];

    public Managed Silo1 { get; private set; } = null!;
    public Managed Silo2 { get; private set; } = null!;
    public Managed Api { get; private set; } = null!;
    public Uri ApiAddress { get; private set; } = null!;
    public string LogDirectory { get; }
    public TimeSpan StartupTime { get; private set; }

    GridGovProcesses(string logDirectory) => LogDirectory = logDirectory;

    /// <summary>Starts silo 1 (loads the demo city), silo 2 and the API; returns when all three report ready.</summary>
    public static async Task<GridGovProcesses> StartAsync(string connectionString, string name)
    {
        var logs = Path.Combine(AppContext.BaseDirectory, "fault-logs", $"{name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        Directory.CreateDirectory(logs);
        var processes = new GridGovProcesses(logs);
        try
        {
            await processes.Start(connectionString);
            return processes;
        }
        catch
        {
            await processes.DisposeAsync();
            throw;
        }
    }

    async Task Start(string connectionString)
    {
        var clock = Stopwatch.StartNew();
        var siloDll = LaunchPath("GridGov.Silo.dll");
        var apiDll = LaunchPath("GridGov.Api.dll");
        string[] common =
        [
            $"--ConnectionStrings:GridGov={connectionString}",
            $"--GridGov:Auth:SigningKey={SigningKey}",
            "--GridGov:ClusterId=faults", "--GridGov:ServiceId=faults",
            // Grain calls caught on a dead silo fail after 5 s instead of Orleans' 30 s.
            "--GridGov:ResponseTimeoutSeconds=5",
            "--Logging:LogLevel:Default=Information", "--Logging:LogLevel:Orleans=Warning", "--Logging:LogLevel:Microsoft=Warning",
            "--Logging:Console:FormatterName=simple", "--Logging:Console:FormatterOptions:SingleLine=true",
            "--Logging:Console:FormatterOptions:TimestampFormat=HH:mm:ss.fff ",
        ];
        string[] membership =
        [
            "--GridGov:Membership:ProbeTimeoutSeconds=1", "--GridGov:Membership:NumMissedProbesLimit=2",
            "--GridGov:Membership:IAmAliveTablePublishSeconds=2", "--GridGov:Membership:TableRefreshSeconds=2",
        ];

        Silo1 = Launch("silo1", siloDll, SiloArgs(loadCity: true));
        // Silo 1 creates the schema and the city; silo 2 joins once the city is there (the loader runs once).
        await WaitFor(Silo1, "Loaded demo city", ReadyBound);
        Silo2 = Launch("silo2", siloDll, SiloArgs(loadCity: false));
        var apiPort = FreePort();
        Api = Launch("api", apiDll,
        [
            .. common, "--GridGov:Api:Mode=Client", $"--urls=http://127.0.0.1:{apiPort}",
            "--GridGov:RateLimit:PermitsPerSecond=100000", "--GridGov:RateLimit:Burst=100000",
            "--GridGov:QueryLimits:ExecutionTimeoutSeconds=10",
        ]);
        ApiAddress = new Uri($"http://127.0.0.1:{apiPort}");
        Api.HealthUrl = new Uri(ApiAddress, "/health/ready");
        await Task.WhenAll(WaitReady(Silo1), WaitReady(Silo2), WaitReady(Api));
        StartupTime = clock.Elapsed;

        string[] SiloArgs(bool loadCity)
        {
            var health = FreePort();
            return
            [
                .. common, .. membership, $"--GridGov:SiloPort={FreePort()}", $"--GridGov:GatewayPort={FreePort()}",
                $"--GridGov:HealthUrls=http://127.0.0.1:{health}", $"--GridGov:LoadDemoCity={loadCity}",
            ];
        }
    }

    /// <summary>The build output of a launched project, recorded at build time by the project file.</summary>
    static string LaunchPath(string key)
    {
        var path = typeof(GridGovProcesses).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
            throw new InvalidOperationException($"{key} was not built where the project file recorded it: '{path}'.");
        var runtimeConfig = Path.ChangeExtension(path, ".runtimeconfig.json");
        if (!File.Exists(runtimeConfig))
            throw new InvalidOperationException($"{runtimeConfig} is missing: `dotnet {path}` cannot start.");
        return path;
    }

    Managed Launch(string name, string dll, string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment.Remove("ASPNETCORE_URLS");
        var managed = new Managed(name, Path.Combine(LogDirectory, name + ".log"));
        if (name.StartsWith("silo", StringComparison.Ordinal))
            managed.HealthUrl = new Uri(args.First(a => a.StartsWith("--GridGov:HealthUrls=", StringComparison.Ordinal)).Split('=', 2)[1] + "/health/ready");
        managed.Start(info);
        _all.Add(managed);
        return managed;
    }

    static async Task WaitFor(Managed process, string text, TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        while (!process.Output.Contains(text, StringComparison.Ordinal))
        {
            if (process.HasExited) throw new InvalidOperationException($"{process.Name} exited before '{text}'; see {process.LogPath}:\n{process.Tail()}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{process.Name} did not log '{text}' within {bound.TotalSeconds} s; see {process.LogPath}:\n{process.Tail()}");
            await Task.Delay(100);
        }
    }

    static async Task WaitReady(Managed process)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + ReadyBound;
        var last = "";
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"{process.Name} exited before it was ready; see {process.LogPath}:\n{process.Tail()}");
            try
            {
                using var response = await http.GetAsync(process.HealthUrl);
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{process.Name} not ready within {ReadyBound.TotalSeconds} s (last: {last}); see {process.LogPath}:\n{process.Tail()}");
            await Task.Delay(200);
        }
    }

    /// <summary>Kills every process and its children; never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var p in _all) p.Kill();
        foreach (var p in _all) await p.DisposeAsync();
    }

    static int FreePort() => GridGov.Testing.PostgresServer.FreePort();

    /// <summary>One launched process, its output mirrored to a file and kept in memory for assertions.</summary>
    public sealed class Managed(string name, string logPath) : IAsyncDisposable
    {
        readonly StringBuilder _output = new();
        readonly object _gate = new();
        StreamWriter? _log;
        Process? _process;

        public string Name { get; } = name;
        public string LogPath { get; } = logPath;
        public Uri HealthUrl { get; set; } = null!;
        public bool HasExited => _process is null || _process.HasExited;
        public int Id => _process?.Id ?? 0;

        public string Output
        {
            get { lock (_gate) return _output.ToString(); }
        }

        public string Tail(int chars = 4000)
        {
            var all = Output;
            return all.Length <= chars ? all : all[^chars..];
        }

        internal void Start(ProcessStartInfo info)
        {
            _log = new StreamWriter(LogPath, append: false) { AutoFlush = true };
            Append($"# dotnet {string.Join(' ', info.ArgumentList)}");
            _process = new Process { StartInfo = info, EnableRaisingEvents = true };
            _process.OutputDataReceived += (_, e) => { if (e.Data is not null) Append(e.Data); };
            _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Append("[stderr] " + e.Data); };
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        void Append(string line)
        {
            lock (_gate)
            {
                _output.AppendLine(line);
                try { _log?.WriteLine(line); } catch (ObjectDisposedException) { }
            }
        }

        /// <summary>SIGKILL to the process and its children: no shutdown, no goodbye to the cluster.</summary>
        public void Kill()
        {
            try
            {
                if (_process is { HasExited: false })
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(10_000);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { }
        }

        public ValueTask DisposeAsync()
        {
            Kill();
            _process?.Dispose();
            lock (_gate)
            {
                _log?.Dispose();
                _log = null;
            }
            return ValueTask.CompletedTask;
        }
    }
}
