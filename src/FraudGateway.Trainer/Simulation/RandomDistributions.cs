namespace FraudGateway.Trainer.Simulation;

// The distributions the simulator draws from a seeded Random: counts (Poisson), waits (exponential) and normal noise.
internal static class RandomDistributions
{
    public static int Poisson(this Random random, double lambda)
    {
        var limit = Math.Exp(-lambda);
        var k = 0;
        var p = random.NextDouble();
        while (p > limit)
        {
            k++;
            p *= random.NextDouble();
        }

        return k;
    }

    public static double Exponential(this Random random, double mean) => -mean * Math.Log(1 - random.NextDouble());

    public static double Normal(this Random random, double mean, double sd)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return mean + (sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }
}
