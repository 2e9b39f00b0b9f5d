using System.Globalization;

namespace FraudGateway.Validation;

// The checks every feature's options parser uses, so each error reads the same way and names its configuration path.
internal static class ConfigCheck
{
    // Letters, digits, '-', '_' and '.': what policy and limit names may hold (they become parts of store keys).
    public static readonly System.Buffers.SearchValues<char> NameChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    // "<path> must be between <min> and <max> (was <value>)."
    public static bool Range(long value, long min, long max, string path, ICollection<string> errors)
    {
        if (value >= min && value <= max)
        {
            return true;
        }

        errors.Add(string.Create(CultureInfo.InvariantCulture, $"{path} must be between {min} and {max} (was {value})."));
        return false;
    }

    public static bool Range(double value, double min, double max, string path, ICollection<string> errors)
    {
        if (value >= min && value <= max)
        {
            return true;
        }

        errors.Add(string.Create(CultureInfo.InvariantCulture, $"{path} must be between {min} and {max} (was {value})."));
        return false;
    }

    // The one strict enum parser: one of the enum's names, any case; numbers and undefined values are refused.
    public static bool TryEnum(Type enumType, string? value, out object? result)
    {
        result = null;
        return value is not null && !int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
            && System.Enum.TryParse(enumType, value, ignoreCase: true, out result) && System.Enum.IsDefined(enumType, result!);
    }

    public static bool TryEnum<T>(string? value, out T result)
        where T : struct, Enum
    {
        var parsed = TryEnum(typeof(T), value, out var boxed);
        result = parsed ? (T)boxed! : default;
        return parsed;
    }

    // "<path> '<value>' is unknown; use A, B or C." and the fallback when the value is not one of T's names.
    public static T Enum<T>(string? value, string path, ICollection<string> errors, T fallback = default)
        where T : struct, Enum
    {
        if (TryEnum<T>(value, out var result))
        {
            return result;
        }

        errors.Add($"{path} '{value}' is unknown; use {Names<T>()}.");
        return fallback;
    }

    public static string Names<T>()
        where T : struct, Enum
    {
        var names = System.Enum.GetNames<T>();
        return names.Length == 1 ? names[0] : string.Join(", ", names[..^1]) + " or " + names[^1];
    }
}
