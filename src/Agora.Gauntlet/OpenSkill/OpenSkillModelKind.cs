namespace Agora.Gauntlet.OpenSkill;

/// <summary>The Weng-Lin models of openskill.py 6.2.0. Persisted by name in JSON, so names are stable.</summary>
public enum OpenSkillModelKind
{
    PlackettLuce = 0,
    BradleyTerryFull = 1,
    BradleyTerryPart = 2,
    ThurstoneMostellerFull = 3,
    ThurstoneMostellerPart = 4,
}
