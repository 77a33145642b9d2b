using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ControlPlane.HealthProbe.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "healthprobe_events",
                columns: table => new
                {
                    Revision = table.Column<long>(type: "bigint", nullable: false),
                    Stream = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Subject = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Type = table.Column<int>(type: "integer", nullable: false),
                    Payload = table.Column<byte[]>(type: "bytea", nullable: false),
                    OccurredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_healthprobe_events", x => x.Revision);
                });

            migrationBuilder.CreateTable(
                name: "healthprobe_instances",
                columns: table => new
                {
                    InstanceId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    App = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    Address = table.Column<string>(type: "text", nullable: false),
                    State = table.Column<int>(type: "integer", nullable: false),
                    Reason = table.Column<string>(type: "text", nullable: false),
                    StateSince = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ReportedVersion = table.Column<string>(type: "text", nullable: false),
                    Ready = table.Column<bool>(type: "boolean", nullable: false),
                    ProberId = table.Column<string>(type: "text", nullable: false),
                    Revision = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_healthprobe_instances", x => x.InstanceId);
                });

            migrationBuilder.CreateTable(
                name: "healthprobe_leases",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Holder = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Token = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAtMs = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_healthprobe_leases", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "healthprobe_outbox",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    MessageType = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    Payload = table.Column<string>(type: "text", nullable: false),
                    TraceParent = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    LastError = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_healthprobe_outbox", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "healthprobe_ready_sets",
                columns: table => new
                {
                    App = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    Revision = table.Column<long>(type: "bigint", nullable: false),
                    ChangedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_healthprobe_ready_sets", x => x.App);
                });

            migrationBuilder.CreateTable(
                name: "healthprobe_requests",
                columns: table => new
                {
                    RequestId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Method = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Response = table.Column<byte[]>(type: "bytea", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_healthprobe_requests", x => x.RequestId);
                });

            migrationBuilder.CreateTable(
                name: "healthprobe_revision",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    Value = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_healthprobe_revision", x => x.Id);
                });

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
