using System.Collections;
using System.Globalization;
using System.Reflection;

namespace FraudGateway.Validation;

/// <summary>
/// Checks a configuration section against the shape of its options class before binding: every key must name a
/// property (an unknown key is reported with its path and the nearest known name), every enum value must be one of
/// the enum's names (any case; no numbers) and every number or flag must parse. Each refused value is reported on its
/// own and left out of the binding, so the rest of the section is still bound and checked: the configuration binder
/// alone stops the whole section at the first problem and names none of them.
/// </summary>
internal static class OptionsShape
{
    private const int MaxDepth = 8;

    /// <summary>Walks <paramref name="optionsType"/> over <paramref name="section"/>; returns the paths it refused.</summary>
    public static List<string> Check(Type optionsType, IConfigurationSection section, ICollection<string> errors)
    {
        var refused = new List<string>();
        WalkObject(optionsType, section, errors, refused, depth: 0);
        return refused;
    }

    /// <summary>Reports the keys directly under <paramref name="section"/> that name no property of the type.</summary>
    public static void CheckKeys(Type optionsType, IConfigurationSection section, ICollection<string> errors)
    {
        var properties = Properties(optionsType);
        foreach (var child in section.GetChildren())
        {
            if (!properties.ContainsKey(child.Key))
            {
                errors.Add(Unknown(child, properties.Keys));
            }
        }
    }

    /// <summary>The section without the refused values (and everything under them), for the binder.</summary>
    public static IConfigurationSection Without(IConfigurationSection section, List<string> refused)
    {
        var kept = section.AsEnumerable().Where(kv => kv.Value is not null && !refused.Any(r =>
            kv.Key.Equals(r, StringComparison.OrdinalIgnoreCase) || kv.Key.StartsWith(r + ":", StringComparison.OrdinalIgnoreCase)));
        return new ConfigurationBuilder().AddInMemoryCollection(kept).Build().GetSection(section.Path);
    }

    private static void WalkObject(Type type, IConfigurationSection section, ICollection<string> errors, List<string> refused, int depth)
    {
        if (depth > MaxDepth)
        {
            return;
        }

        var properties = Properties(type);
        foreach (var child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property))
            {
                errors.Add(Unknown(child, properties.Keys));
                refused.Add(child.Path);
                continue;
            }

            WalkValue(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType, child, errors, refused, depth);
        }
    }

    private static void WalkValue(Type type, IConfigurationSection section, ICollection<string> errors, List<string> refused, int depth)
    {
        if (IsCollection(type, out var element))
        {
            foreach (var item in section.GetChildren())
            {
                WalkValue(Nullable.GetUnderlyingType(element) ?? element, item, errors, refused, depth + 1);
            }
        }
        else if (IsOptions(type))
        {
            WalkObject(type, section, errors, refused, depth + 1);
        }
        else if (section.Value is { } value && Problem(type, value) is { } problem)
        {
            errors.Add($"{section.Path} '{value}' {problem}");
            refused.Add(section.Path);
        }
        else if (section.Value is null && section.GetChildren().Any())
        {
            errors.Add($"{section.Path} takes a single value, not a section.");
            refused.Add(section.Path);
        }
    }

    // What is wrong with a scalar value for the type, or null when it parses as the binder will parse it.
    private static string? Problem(Type type, string value)
    {
        if (type.IsEnum)
        {
            return ConfigCheck.TryEnum(type, value, out _) ? null : $"is not one of {string.Join(", ", Names(type))}.";
        }

        if (type == typeof(bool))
        {
            return bool.TryParse(value, out _) ? null : "is not true or false.";
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && (type == typeof(long) || number is >= int.MinValue and <= int.MaxValue)
                ? null : "is not a whole number.";
        }

        if (type == typeof(double))
        {
            return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? null : "is not a number.";
        }

        if (type == typeof(TimeSpan))
        {
            return TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out _) ? null : "is not a time span (hh:mm:ss).";
        }

        return null;
    }

    private static string Unknown(IConfigurationSection child, IEnumerable<string> known)
    {
        var names = known.Order(StringComparer.Ordinal).ToList();
        var nearest = names.MinBy(n => Distance(n.ToLowerInvariant(), child.Key.ToLowerInvariant()));
        var hint = nearest is not null && Distance(nearest.ToLowerInvariant(), child.Key.ToLowerInvariant()) <= 2 ? $" Did you mean {nearest}?" : "";
        return $"{child.Path}: '{child.Key}' is not a setting here.{hint} Known: {string.Join(", ", names)}.";
    }

    private static Dictionary<string, PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite || IsCollection(p.PropertyType, out _))
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    // The gateway's own options classes (walked property by property).
    private static bool IsOptions(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace?.StartsWith("FraudGateway", StringComparison.Ordinal) == true;

    // A list, array or dictionary: element is the type of its items (a dictionary's values).
    private static bool IsCollection(Type type, out Type element)
    {
        element = typeof(object);
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return false;
        }

        if (type.IsArray)
        {
            element = type.GetElementType()!;
            return true;
        }

        if (!type.IsGenericType)
        {
            return false;
        }

        element = type.GetGenericArguments()[^1];
        return true;
    }

    // Declaration order, as the options' comments list them.
    private static IEnumerable<string> Names(Type enumType) =>
        enumType.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.Name);

    // Levenshtein distance, for "did you mean".
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
