using ControlPlane.Bench;

var scenarios = typeof(IBenchScenario).Assembly.GetTypes()
    .Where(t => t.IsClass && !t.IsAbstract && typeof(IBenchScenario).IsAssignableFrom(t))
    .Select(t => (IBenchScenario)Activator.CreateInstance(t)!)
    .OrderBy(s => s.Name)
    .ToList();

var chosen = args.Length > 0 ? scenarios.FirstOrDefault(s => s.Name == args[0]) : null;
if (chosen is null)
{
    Console.Error.WriteLine("usage: Bench SCENARIO [options]\n");
    foreach (var scenario in scenarios)
    {
        Console.Error.WriteLine($"  {scenario.Name,-14} {scenario.Description}");
    }
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
// SIGTERM (e.g. from `timeout`) ends the run the same way: scenarios dispose their hosts instead of leaving them
// half-stopped (their own console lifetimes would otherwise wait for a shutdown nobody drives).
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM, context => { context.Cancel = true; cancel.Cancel(); });
try
{
    return await chosen.RunAsync(args[1..], cancel.Token);
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("cancelled");
    return 130;
}
