using GridGov.Citizens;
using GridGov.Fixes;
using GridGov.Geo;
using GridGov.Tickets;

namespace GridGov.Rules.Tests;

public sealed class DuplicateTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);
    static readonly GeoPoint Here = new(38.005, 114.505);
    static readonly Category Rubbish = new("C1", "rubbish");

    /// <summary>A position <paramref name="meters"/> north of <see cref="Here"/> (1° of latitude ≈ 111,195 m on the sphere).</summary>
    static GeoPoint North(double meters) => Here with { Lat = Here.Lat + meters / 111_195.0 };

    static OpenReport Open(string id, double metersNorth, TimeSpan ago, string category = "C1") =>
        new(id, category, North(metersNorth), Now - ago);

    [Fact]
    public void Same_category_within_30_m_and_24_h_is_a_duplicate_of_the_nearest()
    {
        var open = new[] { Open("far", 29, TimeSpan.FromHours(1)), Open("near", 10, TimeSpan.FromHours(23.9)) };
        var match = Duplicates.Find(open, Rubbish, Here, Now);
        Assert.Equal("near", match!.TicketId);
        Assert.InRange(match.DistanceMeters, 9.9, 10.1);
    }

    [Theory]
    [InlineData(31, 1, "C1")]     // too far
    [InlineData(10, 24.1, "C1")]  // too old
    [InlineData(10, 1, "C2")]     // another category
    public void Outside_radius_window_or_category_is_not_a_duplicate(double meters, double hoursAgo, string category)
    {
        Assert.Null(Duplicates.Find([Open("t", meters, TimeSpan.FromHours(hoursAgo), category)], Rubbish, Here, Now));
        Assert.NotNull(Duplicates.Find([Open("t", 10, TimeSpan.FromHours(1))], Rubbish, Here, Now));
    }

    [Fact]
    public void Thresholds_are_per_category()
    {
        var wide = Rubbish with { DuplicateRadiusMeters = 100, DuplicateWindowHours = 72 };
        Assert.NotNull(Duplicates.Find([Open("t", 90, TimeSpan.FromHours(70))], wide, Here, Now));
        var off = Rubbish with { DuplicateRadiusMeters = 0 };
        Assert.Null(Duplicates.Find([Open("t", 1, TimeSpan.FromHours(1))], off, Here, Now));
        Assert.Equal("category.duplicate-radius", Assert.Throws<GridGovException>(() => Duplicates.ValidatePolicy(Rubbish with { DuplicateRadiusMeters = -1 })).Rule);
        Assert.Equal("category.duplicate-window", Assert.Throws<GridGovException>(() => Duplicates.ValidatePolicy(Rubbish with { DuplicateWindowHours = double.NaN })).Rule);
        Assert.Equal("category.reward", Assert.Throws<GridGovException>(() => Duplicates.ValidatePolicy(Rubbish with { RewardPoints = -5 })).Rule);
    }

    [Fact]
    public void Inspectors_reports_are_not_checked_every_other_source_is()
    {
        Assert.False(Duplicates.Applies(TicketSource.Inspector));
        Assert.All([TicketSource.Citizen, TicketSource.Camera, TicketSource.Hotline, TicketSource.Platform], s => Assert.True(Duplicates.Applies(s)));
    }

    [Fact]
    public void Registry_finds_the_cells_within_a_radius_across_a_border()
    {
        var registry = new CellRegistry();
        registry.Add("A", GeoMath.ReadPolygon("""{"type":"Polygon","coordinates":[[[114.50,38.0],[114.51,38.0],[114.51,38.01],[114.50,38.01],[114.50,38.0]]]}"""));
        registry.Add("B", GeoMath.ReadPolygon("""{"type":"Polygon","coordinates":[[[114.51,38.0],[114.52,38.0],[114.52,38.01],[114.51,38.01],[114.51,38.0]]]}"""));
        // 0.0002° of longitude at 38° N ≈ 17.5 m from the border.
        var nearBorder = new GeoPoint(38.005, 114.5098);
        Assert.Equal(["A", "B"], registry.Near(nearBorder, 30));
        Assert.Equal(["A"], registry.Near(nearBorder, 10));
        Assert.Equal(["A"], registry.Near(new GeoPoint(38.005, 114.505), 30));
    }
}

public sealed class CitizenRulesTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Rate_limit_counts_rolling_hour_and_day_and_names_when_the_next_is_allowed()
    {
        var lastHour = Enumerable.Range(1, 3).Select(i => Now - TimeSpan.FromMinutes(10 * i)).ToList();
        CitizenRules.EnsureWithinRate(lastHour, Now, perHour: 4, perDay: 10);
        var e = Assert.Throws<GridGovException>(() => CitizenRules.EnsureWithinRate(lastHour, Now, perHour: 3, perDay: 10));
        Assert.Equal("citizen.rate-limit", e.Rule);
        Assert.Equal(ErrorCodes.RuleViolation, e.Code);
        // The oldest of the three (30 min ago) leaves the hour 30 min from now.
        Assert.Contains($"{Now.AddMinutes(30):u}", e.Message);

        var spread = Enumerable.Range(1, 5).Select(i => Now - TimeSpan.FromHours(3 * i)).ToList();
        CitizenRules.EnsureWithinRate(spread, Now, perHour: 1, perDay: 6);
        Assert.Equal("citizen.rate-limit", Assert.Throws<GridGovException>(() => CitizenRules.EnsureWithinRate(spread, Now, 1, 5)).Rule);
        Assert.Equal(spread, CitizenRules.Prune([.. spread, Now - TimeSpan.FromHours(25)], Now));
    }

    [Fact]
    public void Registration_blocking_and_who_may_do_them()
    {
        Assert.Equal("citizen.phone", Assert.Throws<GridGovException>(() => CitizenRules.ValidateRegistration(new RegisterCitizen("Li", "abc"))).Rule);
        Assert.Equal("citizen.name", Assert.Throws<GridGovException>(() => CitizenRules.ValidateRegistration(new RegisterCitizen(" ", "13800000000"))).Rule);
        Assert.Equal("citizen.email", Assert.Throws<GridGovException>(() => CitizenRules.ValidateRegistration(new RegisterCitizen("Li", "13800000000", "no-at"))).Rule);
        CitizenRules.ValidateRegistration(new RegisterCitizen("Li", "+86 138-0000-0000", "li@example.cn"));
        CitizenRules.ValidateRegistration(new RegisterCitizen("Li", null, "li@example.cn"));
        Assert.Equal("citizen.contact", Assert.Throws<GridGovException>(() => CitizenRules.ValidateRegistration(new RegisterCitizen("Li", " ", null))).Rule);

        Assert.Equal("1301", CitizenRules.CityOfRegistrar("c1", new Actor("c1", Role.Citizen, "1301")));
        Assert.Equal("1301", CitizenRules.CityOfRegistrar("c1", new Actor("p1", Role.Platform, "130102")));
        Assert.Equal("citizen.register", Assert.Throws<GridGovException>(() => CitizenRules.CityOfRegistrar("c1", new Actor("c2", Role.Citizen, "1301"))).Rule);
        Assert.Equal("citizen.register", Assert.Throws<GridGovException>(() => CitizenRules.CityOfRegistrar("c1", new Actor("s", Role.Supervisor, "1301"))).Rule);

        var citizen = new CitizenProfile("c1", "1301", "Li", "13800000000", null, Now);
        CitizenRules.EnsureNotBlocked(citizen);
        CitizenRules.EnsureCanBlock(citizen, new Actor("s", Role.Supervisor, "130102"));
        Assert.Equal("citizen.block.jurisdiction", Assert.Throws<GridGovException>(() => CitizenRules.EnsureCanBlock(citizen, new Actor("s", Role.Supervisor, "1302"))).Rule);
        Assert.Equal("citizen.block.role", Assert.Throws<GridGovException>(() => CitizenRules.EnsureCanBlock(citizen, new Actor("p", Role.Platform, "1301"))).Rule);
        var blocked = Assert.Throws<GridGovException>(() => CitizenRules.EnsureNotBlocked(citizen with { Blocked = true, BlockedReason = "spam", BlockedAt = Now }));
        Assert.Equal(("citizen.blocked", ErrorCodes.Forbidden), (blocked.Rule, blocked.Code));
        Assert.Contains("spam", blocked.Message);
    }

    [Fact]
    public void Ledger_rules_refuse_overdraw_bad_amounts_and_a_reused_reference()
    {
        Rewards.EnsureCanRedeem(10, 10);
        Assert.Equal("reward.overdraw", Assert.Throws<GridGovException>(() => Rewards.EnsureCanRedeem(10, 11)).Rule);
        Assert.Equal("reward.points", Assert.Throws<GridGovException>(() => Rewards.ValidateAmount(0)).Rule);
        var entry = new LedgerEntry(1, Now, LedgerKind.Debit, 5, 5, "redeem:x", "bus card");
        Rewards.EnsureSameRequest(entry, LedgerKind.Debit, 5);
        Assert.Equal(ErrorCodes.Conflict, Assert.Throws<GridGovException>(() => Rewards.EnsureSameRequest(entry, LedgerKind.Debit, 6)).Code);
    }
}

public sealed class TicketPrivacyTests
{
    static readonly DateTimeOffset T0 = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);
    static readonly Actor Citizen = new("cit-1", Role.Citizen, "1301");

    static TicketInfo Ticket()
    {
        TicketTransition Line(int seq, string actor, Role role, TicketAction action, TicketStage? from, TicketStage to, params string[] evidence) =>
            new(seq, T0.AddMinutes(seq), actor, role, action, from, to, $"{action} by {actor}", evidence);
        return new TicketInfo("T1", "1301010010010001", "C1", Severity.Normal, TicketSource.Citizen, "rubbish", new GeoPoint(38, 114.5), null,
            Citizen.Id, TicketStage.Closed, "U1", T0, null, 0, 0, "h1", null, [],
            [
                Line(1, Citizen.Id, Role.Citizen, TicketAction.Report, null, TicketStage.Reported, "photo://r.jpg"),
                Line(2, "sup-1", Role.Supervisor, TicketAction.Accept, TicketStage.Reported, TicketStage.Accepted),
                Line(3, "sup-1", Role.Supervisor, TicketAction.Dispatch, TicketStage.Accepted, TicketStage.Dispatched),
                Line(4, "h1", Role.Handler, TicketAction.Handle, TicketStage.Dispatched, TicketStage.Handled, "photo://fixed.jpg"),
                Line(5, "ins-1", Role.Inspector, TicketAction.VerifyPass, TicketStage.Handled, TicketStage.Verified, "photo://checked.jpg"),
                Line(6, "sup-1", Role.Supervisor, TicketAction.Close, TicketStage.Verified, TicketStage.Closed),
            ],
            [new ReportAttachment("r2", "cit-2", Role.Citizen, TicketSource.Citizen, T0, new GeoPoint(38, 114.5), 5, "same pile", ["photo://r2.jpg"])],
            "1 Main St");
    }

    [Theory]
    [InlineData(Role.Inspector, "ins-1", "130101")]
    [InlineData(Role.Handler, "h1", "U1")]
    [InlineData(Role.Platform, "p1", "1301")]
    [InlineData(Role.Citizen, "cit-9", "1301")]
    public void Everyone_but_supervisors_sees_citizens_as_citizen(Role role, string id, string scope)
    {
        var seen = TicketPrivacy.ForViewer(Ticket(), new Actor(id, role, scope));
        Assert.Equal(TicketPrivacy.Hidden, seen.ReporterId);
        Assert.Equal(TicketPrivacy.Hidden, seen.History[0].ActorId);
        Assert.Equal(TicketPrivacy.Hidden, seen.Attachments[0].ReporterId);
        // Staff stay named; only citizens are hidden.
        Assert.Equal(["sup-1", "sup-1", "h1", "ins-1", "sup-1"], seen.History.Skip(1).Select(h => h.ActorId));
    }

    [Fact]
    public void Supervisors_see_everyone_and_a_reporter_sees_only_themself()
    {
        var all = TicketPrivacy.ForViewer(Ticket(), new Actor("sup-1", Role.Supervisor, "1301"));
        Assert.Equal((Citizen.Id, Citizen.Id, "cit-2"), (all.ReporterId, all.History[0].ActorId, all.Attachments[0].ReporterId));
        var own = TicketPrivacy.ForViewer(Ticket(), Citizen);
        Assert.Equal((Citizen.Id, Citizen.Id, TicketPrivacy.Hidden), (own.ReporterId, own.History[0].ActorId, own.Attachments[0].ReporterId));
    }

    [Fact]
    public void Public_view_has_status_stages_and_result_with_evidence_and_no_names()
    {
        var view = TicketPrivacy.Public(Ticket());
        Assert.False(view.IsOpen);
        Assert.Equal(TicketStage.Closed, view.Stage);
        Assert.Equal([TicketStage.Reported, TicketStage.Accepted, TicketStage.Dispatched, TicketStage.Handled, TicketStage.Verified, TicketStage.Closed],
            view.History.Select(h => h.To));
        Assert.Equal(["photo://fixed.jpg", "photo://checked.jpg"], view.Result!.Evidence);
        Assert.Equal(1, view.DuplicateReports);
        Assert.Equal("1 Main St", view.Address);
        var text = System.Text.Json.JsonSerializer.Serialize(view);
        foreach (var name in new[] { "cit-1", "cit-2", "sup-1", "h1", "ins-1" }) Assert.DoesNotContain($"\"{name}\"", text);
        Assert.DoesNotContain(" by ", text);
    }
}
