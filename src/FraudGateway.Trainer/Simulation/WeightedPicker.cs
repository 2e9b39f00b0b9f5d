namespace FraudGateway.Trainer.Simulation;

// Picks items in proportion to their weights (cumulative table + binary search).
public sealed class WeightedPicker<T>
{
    private readonly T[] _items;
    private readonly double[] _cumulative;

    public WeightedPicker(IEnumerable<T> items, Func<T, double> weight)
    {
        _items = items.ToArray();
        if (_items.Length == 0)
        {
            throw new ArgumentException("Nothing to pick from.", nameof(items));
        }

        _cumulative = new double[_items.Length];
        double total = 0;
        for (var i = 0; i < _items.Length; i++)
        {
            total += Math.Max(0, weight(_items[i]));
            _cumulative[i] = total;
        }
    }

    public int Count => _items.Length;

    public T Pick(Random random)
    {
        var x = random.NextDouble() * _cumulative[^1];
        var index = Array.BinarySearch(_cumulative, x);
        return _items[Math.Min(index < 0 ? ~index : index, _items.Length - 1)];
    }

    public T PickUniform(Random random) => _items[random.Next(_items.Length)];
}
