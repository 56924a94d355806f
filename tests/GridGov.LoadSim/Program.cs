using GridGov.LoadSim;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(LoadSimOptions.Usage);
    return 0;
}
var options = LoadSimOptions.Parse(args);
ActivationCounter.Start();
options.Log($"GridGov load simulator: {string.Join(' ', args)}");
var report = await Simulator.RunAsync(options);
var (md, json) = report.Write(options.Out);
Console.WriteLine();
Console.WriteLine(report.ToMarkdown());
Console.WriteLine($"Report: {Path.GetFullPath(md)} and {Path.GetFullPath(json)}");
return 0;
