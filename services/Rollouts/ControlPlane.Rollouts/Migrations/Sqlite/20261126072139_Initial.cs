using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPlane.Rollouts.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "rollouts_agent_answers",
                columns: table => new
                {
                    ApplyId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Ok = table.Column<bool>(type: "INTEGER", nullable: false),
                    Version = table.Column<string>(type: "TEXT", nullable: false),
                    Error = table.Column<string>(type: "TEXT", nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rollouts_agent_answers", x => x.ApplyId);
                });

            migrationBuilder.CreateTable(
                name: "rollouts_events",
                columns: table => new
                {
                    Revision = table.Column<long>(type: "INTEGER", nullable: false),
                    Stream = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Type = table.Column<int>(type: "INTEGER", nullable: false),
                    Payload = table.Column<byte[]>(type: "BLOB", nullable: false),
                    OccurredAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rollouts_events", x => x.Revision);
                });

            migrationBuilder.CreateTable(
                name: "rollouts_leases",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Holder = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Token = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAtMs = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rollouts_leases", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "rollouts_outbox",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MessageId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MessageType = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    Payload = table.Column<string>(type: "TEXT", nullable: false),
                    TraceParent = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rollouts_outbox", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "rollouts_requests",
                columns: table => new
                {
                    RequestId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Method = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Response = table.Column<byte[]>(type: "BLOB", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rollouts_requests", x => x.RequestId);
                });

            migrationBuilder.CreateTable(
                name: "rollouts_revision",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Value = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rollouts_revision", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "rollouts_rollouts",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    App = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    ActiveApp = table.Column<string>(type: "TEXT", maxLength: 63, nullable: true),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    RequestId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Revision = table.Column<long>(type: "INTEGER", nullable: false),
                    NeedsDriver = table.Column<bool>(type: "INTEGER", nullable: false),
                    Generation = table.Column<long>(type: "INTEGER", nullable: false),
                    Body = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Work = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rollouts_rollouts", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "rollouts_revision",
                columns: new[] { "Id", "Value" },
                values: new object[] { 1, 0L });

            migrationBuilder.CreateIndex(
                name: "IX_rollouts_events_Stream_Revision",
                table: "rollouts_events",
                columns: new[] { "Stream", "Revision" });

            migrationBuilder.CreateIndex(
                name: "IX_rollouts_requests_CreatedAt",
                table: "rollouts_requests",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_rollouts_rollouts_ActiveApp",
                table: "rollouts_rollouts",
                column: "ActiveApp",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_rollouts_rollouts_App_CreatedAt",
                table: "rollouts_rollouts",
                columns: new[] { "App", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_rollouts_rollouts_NeedsDriver",
                table: "rollouts_rollouts",
                column: "NeedsDriver");

            migrationBuilder.CreateIndex(
                name: "IX_rollouts_rollouts_RequestId",
                table: "rollouts_rollouts",
                column: "RequestId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "rollouts_agent_answers");

            migrationBuilder.DropTable(
                name: "rollouts_events");

            migrationBuilder.DropTable(
                name: "rollouts_leases");

            migrationBuilder.DropTable(
                name: "rollouts_outbox");

            migrationBuilder.DropTable(
                name: "rollouts_requests");

            migrationBuilder.DropTable(
                name: "rollouts_revision");

            migrationBuilder.DropTable(
                name: "rollouts_rollouts");
        }
    }
}
