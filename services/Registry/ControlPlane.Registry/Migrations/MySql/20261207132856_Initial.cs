using System;
using Microsoft.EntityFrameworkCore.Migrations;
using MySql.EntityFrameworkCore.Metadata;

#nullable disable

namespace ControlPlane.Registry.Migrations.MySql
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "registry_apps",
                columns: table => new
                {
                    Name = table.Column<string>(type: "varchar(63)", maxLength: 63, nullable: false, collation: "utf8mb4_bin"),
                    Description = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    DesiredVersion = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    DesiredConfigHash = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    DesiredPlugins = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    DesiredPluginsSet = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    DesiredSchemaVersion = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    HealthCheck = table.Column<byte[]>(type: "longblob", nullable: false),
                    RolloutDefaults = table.Column<byte[]>(type: "longblob", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime(6)", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "datetime(6)", nullable: false),
                    Generation = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_apps", x => x.Name);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "registry_events",
                columns: table => new
                {
                    Revision = table.Column<long>(type: "bigint", nullable: false),
                    Stream = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false, collation: "utf8mb4_bin"),
                    Subject = table.Column<string>(type: "varchar(256)", maxLength: 256, nullable: false, collation: "utf8mb4_bin"),
                    Type = table.Column<int>(type: "int", nullable: false),
                    Payload = table.Column<byte[]>(type: "longblob", nullable: false),
                    OccurredAt = table.Column<DateTime>(type: "datetime(6)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_events", x => x.Revision);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "registry_instances",
                columns: table => new
                {
                    InstanceId = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false, collation: "utf8mb4_bin"),
                    App = table.Column<string>(type: "varchar(63)", maxLength: 63, nullable: false, collation: "utf8mb4_bin"),
                    Address = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    AgentAddress = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    Version = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    ConfigHash = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    Plugins = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    SchemaVersion = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    Labels = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    Draining = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    State = table.Column<int>(type: "int", nullable: false),
                    LeaseId = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    LeaseTtlMs = table.Column<long>(type: "bigint", nullable: false),
                    LeaseExpiresAt = table.Column<DateTime>(type: "datetime(6)", nullable: false),
                    RegisteredAt = table.Column<DateTime>(type: "datetime(6)", nullable: false),
                    LastHeartbeatAt = table.Column<DateTime>(type: "datetime(6)", nullable: false),
                    ExpiredAt = table.Column<DateTime>(type: "datetime(6)", nullable: true),
                    Revision = table.Column<long>(type: "bigint", nullable: false),
                    Drift = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_instances", x => x.InstanceId);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "registry_leases",
                columns: table => new
                {
                    Name = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false, collation: "utf8mb4_bin"),
                    Holder = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false, collation: "utf8mb4_bin"),
                    Token = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAtMs = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_leases", x => x.Name);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "registry_outbox",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySQL:ValueGenerationStrategy", MySQLValueGenerationStrategy.IdentityColumn),
                    MessageId = table.Column<Guid>(type: "char(36)", nullable: false),
                    MessageType = table.Column<string>(type: "varchar(512)", maxLength: 512, nullable: false, collation: "utf8mb4_bin"),
                    Payload = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    TraceParent = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: true, collation: "utf8mb4_bin"),
                    CreatedAt = table.Column<DateTime>(type: "datetime(6)", nullable: false),
                    Attempts = table.Column<int>(type: "int", nullable: false),
                    LastError = table.Column<string>(type: "longtext", nullable: true, collation: "utf8mb4_bin")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_outbox", x => x.Sequence);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "registry_requests",
                columns: table => new
                {
                    RequestId = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false, collation: "utf8mb4_bin"),
                    Method = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_bin"),
                    Response = table.Column<byte[]>(type: "longblob", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime(6)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_requests", x => x.RequestId);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "registry_revision",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false),
                    Value = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_revision", x => x.Id);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.InsertData(
                table: "registry_revision",
                columns: new[] { "Id", "Value" },
                values: new object[] { 1, 0L });

            migrationBuilder.CreateIndex(
                name: "IX_registry_events_Stream_Revision",
                table: "registry_events",
                columns: new[] { "Stream", "Revision" });

            migrationBuilder.CreateIndex(
                name: "IX_registry_instances_App_InstanceId",
                table: "registry_instances",
                columns: new[] { "App", "InstanceId" });

            migrationBuilder.CreateIndex(
                name: "IX_registry_instances_State_LeaseExpiresAt",
                table: "registry_instances",
                columns: new[] { "State", "LeaseExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_registry_requests_CreatedAt",
                table: "registry_requests",
                column: "CreatedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "registry_apps");

            migrationBuilder.DropTable(
                name: "registry_events");

            migrationBuilder.DropTable(
                name: "registry_instances");

            migrationBuilder.DropTable(
                name: "registry_leases");

            migrationBuilder.DropTable(
                name: "registry_outbox");

            migrationBuilder.DropTable(
                name: "registry_requests");

            migrationBuilder.DropTable(
                name: "registry_revision");
        }
    }
}
