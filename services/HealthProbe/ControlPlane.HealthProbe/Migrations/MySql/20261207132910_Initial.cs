using System;
using Microsoft.EntityFrameworkCore.Migrations;
using MySql.EntityFrameworkCore.Metadata;

#nullable disable

namespace ControlPlane.HealthProbe.Migrations.MySql
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
                name: "healthprobe_events",
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
                    table.PrimaryKey("PK_healthprobe_events", x => x.Revision);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "healthprobe_instances",
                columns: table => new
                {
                    InstanceId = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false, collation: "utf8mb4_bin"),
                    App = table.Column<string>(type: "varchar(63)", maxLength: 63, nullable: false, collation: "utf8mb4_bin"),
                    Address = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    State = table.Column<int>(type: "int", nullable: false),
                    Reason = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    StateSince = table.Column<DateTime>(type: "datetime(6)", nullable: false),
                    ReportedVersion = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    Ready = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    ProberId = table.Column<string>(type: "longtext", nullable: false, collation: "utf8mb4_bin"),
                    Revision = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_healthprobe_instances", x => x.InstanceId);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "healthprobe_leases",
                columns: table => new
                {
                    Name = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false, collation: "utf8mb4_bin"),
                    Holder = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false, collation: "utf8mb4_bin"),
                    Token = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAtMs = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_healthprobe_leases", x => x.Name);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "healthprobe_outbox",
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
                    table.PrimaryKey("PK_healthprobe_outbox", x => x.Sequence);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "healthprobe_ready_sets",
                columns: table => new
                {
                    App = table.Column<string>(type: "varchar(63)", maxLength: 63, nullable: false, collation: "utf8mb4_bin"),
                    Revision = table.Column<long>(type: "bigint", nullable: false),
                    ChangedAt = table.Column<DateTime>(type: "datetime(6)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_healthprobe_ready_sets", x => x.App);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "healthprobe_requests",
                columns: table => new
                {
                    RequestId = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false, collation: "utf8mb4_bin"),
                    Method = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_bin"),
                    Response = table.Column<byte[]>(type: "longblob", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime(6)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_healthprobe_requests", x => x.RequestId);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "healthprobe_revision",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false),
                    Value = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_healthprobe_revision", x => x.Id);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.InsertData(
                table: "healthprobe_revision",
                columns: new[] { "Id", "Value" },
                values: new object[] { 1, 0L });

            migrationBuilder.CreateIndex(
                name: "IX_healthprobe_events_Stream_Revision",
                table: "healthprobe_events",
                columns: new[] { "Stream", "Revision" });

            migrationBuilder.CreateIndex(
                name: "IX_healthprobe_instances_App",
                table: "healthprobe_instances",
                column: "App");

            migrationBuilder.CreateIndex(
                name: "IX_healthprobe_requests_CreatedAt",
                table: "healthprobe_requests",
                column: "CreatedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "healthprobe_events");

            migrationBuilder.DropTable(
                name: "healthprobe_instances");

            migrationBuilder.DropTable(
                name: "healthprobe_leases");

            migrationBuilder.DropTable(
                name: "healthprobe_outbox");

            migrationBuilder.DropTable(
                name: "healthprobe_ready_sets");

            migrationBuilder.DropTable(
                name: "healthprobe_requests");

            migrationBuilder.DropTable(
                name: "healthprobe_revision");
        }
    }
}
