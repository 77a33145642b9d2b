using ControlPlane.Cpctl;
using ControlPlane.Cpctl.Commands;

var root = Cli.Root(
    AppCommands.Create(),
    InstanceCommands.Create(),
    FleetCommands.Create(),
    HealthCommands.Create(),
    RolloutCommands.Create(),
    BackupCommands.Create(),
    DoctorCommand.Create());
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
