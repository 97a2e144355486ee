using System.CommandLine;
using Deae.Cli.Commands;

var root = new RootCommand("deae: Disentangled Exploration Autoencoder for ML.NET — data sets, training, synthesis, benchmarks.")
{
    GenerateCommands.Create(),
    TrainCommand.Create(),
    ExportCommand.Create(),
    ExploreCommands.CreateUdv(),
    ExploreCommands.CreateSynthesize(),
    EvaluateCommand.Create(),
    AugmentCommand.Create(),
    DemoCommand.Create(),
    BenchCommands.Create(),
};
return root.Parse(args).Invoke();
