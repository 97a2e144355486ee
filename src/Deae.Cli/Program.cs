using System.CommandLine;
using System.Globalization;
using Deae.Cli.Commands;

// The tables, JSON and logs the CLI writes must read the same on every machine (no decimal commas).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var root = new RootCommand("deae: Disentangled Exploration Autoencoder for ML.NET — data sets, training, synthesis, benchmarks.")
{
    GenerateCommands.Create(),
    TrainCommand.Create(),
    ExportCommand.Create(),
    ExploreCommands.CreateUdv(),
    ExploreCommands.CreateSynthesize(),
    EvaluateCommand.Create(),
    AugmentCommand.Create(),
    BiasCommand.Create(),
    AugmentTestCommand.Create(),
    DemoCommand.Create(),
    BenchCommands.Create(),
};
return root.Parse(args).Invoke();
