using FraudGateway.Trainer.Commands;

return TrainerCli.Run(args, Console.Out, Console.Error);
