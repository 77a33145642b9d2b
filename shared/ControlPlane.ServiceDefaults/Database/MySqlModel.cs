using Microsoft.EntityFrameworkCore;

namespace ControlPlane.ServiceDefaults.Database;

public static class MySqlModel
{
    /// <summary>
    /// Compares, orders and keys text byte for byte (utf8mb4_bin), as PostgreSQL and SQLite do here: MySQL's and
    /// MariaDB's default collations ignore case, so ids "a" and "A" would collide and page tokens order differently.
    /// </summary>
    public static ModelBuilder UseExactText(this ModelBuilder model)
    {
        foreach (var property in model.Model.GetEntityTypes().SelectMany(e => e.GetProperties()).Where(p => p.ClrType == typeof(string)))
        {
            property.SetCollation("utf8mb4_bin");
        }
        return model;
    }
}
