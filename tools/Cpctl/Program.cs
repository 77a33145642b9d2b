using ControlPlane.Cpctl;
using ControlPlane.Cpctl.Commands;

if (Console.IsOutputRedirected)
{
    // Piped into a file or a pager: wide tables stay one row a line instead of wrapping at 80 columns.
    Spectre.Console.AnsiConsole.Profile.Width = 240;
}
var root = Cli.Root(
    AppCommands.Create(),
    InstanceCommands.Create(),
    FleetCommands.Create(),
    HealthCommands.Create(),
    RolloutCommands.Create(),
    BackupCommands.Create(),
    DoctorCommand.Create(),
    AccessCommands.Keys(),
    AccessCommands.Audit(),
    AccessCommands.WhoAmI());
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"cpctl: {error.Message}");
    }
    Console.Error.WriteLine("Run 'cpctl --help' for the commands.");
    return Cli.InvalidInput;
}
return await parse.InvokeAsync();
