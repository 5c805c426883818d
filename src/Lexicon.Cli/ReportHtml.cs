using System.Globalization;
using System.Net;
using System.Text;
using Lexicon.Cli.Commands.Results;
using Lexicon.Data;
using Lexicon.Features;
using Lexicon.Suite;
using Lexicon.Training;

namespace Lexicon.Cli;

/// <summary>report/index.html: what was trained on what, a link to the suite's feature site, the per-layer table, and the plots beside it.</summary>
public static class ReportHtml
{
    public static void Write(string path, ActivationStore store, TrainConfig template, IReadOnlyList<ReportLayer> rows, SuiteTrace trace, long heldOutTokens,
        BuiltSite site, string siteFolder)
    {
        var m = store.Manifest;
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Lexicon report</title>
            <style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;color:#222}
            table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f3f3f3}
            img{max-width:100%;border:1px solid #eee;margin:1em 0}</style></head><body>
            <h1>Lexicon report</h1>
            """);
        html.Append(CultureInfo.InvariantCulture, $"""
            <p class="features"><a href="{E(siteFolder)}/index.html">The suite's features</a>: what each of the {site.Live:N0} features that fired
            is (top contexts, samples below them, histogram, nearest tokens, trajectory through the layers); {site.Dead:N0} never fired.</p>
            """);
        html.Append(CultureInfo.InvariantCulture, $"""
            <p>Store <code>{E(store.Directory)}</code>: {m.Tokens:N0} tokens, d = {m.DModel}, model <code>{E(m.Model ?? "?")}</code>,
            layers {string.Join(", ", rows.Select(r => r.Layer.ToString(CultureInfo.InvariantCulture)))}. Per layer, three SAEs with the same own latents
            (M = {template.Latents}) and k = {template.K}, {template.Tokens?.ToString("N0", CultureInfo.InvariantCulture) ?? "10 passes of"} training tokens each:
            a plain TopK SAE, a tokenized SAE (tables: {E(template.Tables == "none" ? "unigram" : template.Tables)}), and the recursive suite
            (tables, enriched-token SAE, pooled features of earlier layers).</p>
            <h2>Per layer, out of sample</h2>
            <p>Measured on the store's held-out sequences ({heldOutTokens:N0} tokens no model trained on). FVU = Σ‖x̂−x‖²/Σ‖x−x̄‖²; NMSE = mean
            ‖x̂−x‖²/‖x‖²; embedding recovered = how much of the sentence embedding survives putting the reconstruction in place of the layer
            (1 = all, 0 = no better than mean ablation). In-sample NMSE (on the first training tokens, as many as are held out, at most 25k) only beside, for comparison.</p>
            <table><tr><th>layer</th><th>fvu plain</th><th>fvu tokenized</th><th>fvu suite</th><th>nmse plain</th><th>nmse tokenized</th><th>nmse suite</th>
            <th>recovered plain</th><th>recovered tokenized</th><th>recovered suite</th>
            <th>in-sample nmse plain</th><th>tokenized</th><th>suite</th>
            <th>suite tables</th><th>suite enriched</th><th>suite pool</th><th>suite own</th>
            <th>dead plain</th><th>dead tokenized</th><th>dead suite</th></tr>
            """);
        foreach (var r in rows)
        {
            var share = r.Suite.VarianceShare!;
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{r.Layer}</td>");
            foreach (var value in new Func<ReportModel, double?>[] { m => m.Fvu, m => m.Nmse, m => m.EmbeddingRecovered, m => m.InSampleNmse })
                foreach (var model in r.Models) html.Append(CultureInfo.InvariantCulture, $"<td>{D(value(model))}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{D(share.Tables)}</td><td>{D(share.Enriched)}</td><td>{D(share.Pool)}</td><td>{D(share.Own)}</td>");
            foreach (var model in r.Models) html.Append(CultureInfo.InvariantCulture, $"<td>{P(model.DeadFraction)}</td>");
            html.Append("</tr>\n");
        }
        html.Append(CultureInfo.InvariantCulture, $"""
            </table>
            <h2>Held-out FVU and NMSE per layer</h2><img src="fvu.png" alt="FVU per layer"><img src="nmse.png" alt="NMSE per layer">
            <h2>Where the suite's variance comes from</h2><img src="shares.png" alt="variance shares">
            <h2>Pooled features through the layers</h2>
            <p>{trace.Features.Count:N0} pooled features fired at birth; {trace.Features.Count(f => f.DeathLayer is not null):N0} were pruned at a later layer.</p>
            <p>Features are labelled by id and the tokens they fire on most; each has a page in <a href="{E(siteFolder)}/index.html">the feature site</a>.</p>
            <img src="trace.png" alt="trace">
            <h2>Dead own latents</h2><img src="dead.png" alt="dead fraction">
            </body></html>
            """);
        File.WriteAllText(path, html.ToString());
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string D(double? value) => value?.ToString("F4", CultureInfo.InvariantCulture) ?? "-";

    private static string P(double? value) => value?.ToString("P1", CultureInfo.InvariantCulture) ?? "-";
}
