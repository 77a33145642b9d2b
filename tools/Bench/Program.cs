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
return await chosen.RunAsync(args[1..], cancel.Token);
