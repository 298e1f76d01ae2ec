import Vapor

/// The platform's only stylesheet and icon, served by the app itself: no CDN, no web font.
enum Assets {
    static func response(_ body: String, type: String) -> Response {
        let response = Response(status: .ok, body: .init(string: body))
        response.headers.replaceOrAdd(name: .contentType, value: type)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return response
    }

    static let favicon = """
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#14532d"/>\
    <path d="M6 24V8l10 10 10-10v16" fill="none" stroke="#fff" stroke-width="3" stroke-linejoin="round"/></svg>
    """

    static let css = """
    :root{--ink:#1b1f23;--muted:#4a5561;--bg:#fbfaf7;--card:#fff;--line:#d5d9de;--brand:#14532d;--brand-ink:#fff;--accent:#0b5cad;--danger:#a3161b;--ok:#176b2c;--warn:#7a4d00}
    *{box-sizing:border-box}
    html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;line-height:1.5;color:var(--ink);background:var(--bg)}
    body{margin:0}
    a{color:var(--accent)}
    a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
    .skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem;z-index:10}
    .skip:focus{left:1rem}
    .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
    .site-header{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;justify-content:space-between;padding:.75rem 1.25rem;background:var(--brand);color:var(--brand-ink)}
    .site-header a,.site-header button.link{color:var(--brand-ink)}
    .brand{font-weight:700;font-size:1.25rem;text-decoration:none}
    .site-header ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0;align-items:center}
    .site-header form{margin:0}
    button.link{background:none;border:0;padding:0;font:inherit;text-decoration:underline;cursor:pointer}
    main{max-width:72rem;margin:0 auto;padding:1.25rem}
    .site-footer{border-top:1px solid var(--line);padding:1rem 1.25rem;color:var(--muted);font-size:.9rem;text-align:center}
    h1{font-size:1.75rem;line-height:1.2;margin:.5rem 0 1rem}
    h2{font-size:1.25rem}
    .lead{font-size:1.1rem;color:var(--muted)}
    .meta{color:var(--muted)}
    .cards{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(19rem,1fr));gap:1rem}
    .card article{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:1rem;height:100%}
    .card h2{margin:0 0 .25rem;font-size:1.2rem}
    .tags{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.35rem}
    .tags li{background:#e8f0ea;color:#0f3d21;border-radius:1rem;padding:.1rem .6rem;font-size:.85rem}
    .badge-charter{font-weight:600;border-left:.35rem solid var(--line);padding-left:.5rem}
    .badge-exemplary{border-color:var(--ok);color:var(--ok)}
    .badge-committed{border-color:var(--accent);color:#084684}
    .badge-on-the-way{border-color:var(--warn);color:var(--warn)}
    .badge-starting{border-color:var(--muted);color:var(--muted)}
    .charter dt{font-weight:600;margin-top:.5rem}
    .charter dd{margin:0 0 .25rem 0;color:var(--muted);overflow-wrap:anywhere}
    .answer-yes{color:var(--ok)}.answer-partly{color:var(--warn)}.answer-no{color:var(--danger)}
    .filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-end;background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.75rem}
    .filters .field{margin:0}
    form .field{margin:0 0 1rem}
    label{display:block;font-weight:600;margin-bottom:.2rem}
    .check label,.radios label{display:inline;font-weight:400;margin-left:.35rem}
    .radios{display:flex;gap:1rem;flex-wrap:wrap}
    .optional,.hint{color:var(--muted);font-weight:400;font-size:.9rem;margin:.1rem 0 .3rem}
    input[type=text],input[type=search],input[type=email],input[type=password],input[type=url],input[type=number],select,textarea{width:100%;max-width:36rem;padding:.5rem;border:1px solid #6b7682;border-radius:.3rem;font:inherit;background:#fff;color:var(--ink)}
    .filters select{width:auto;min-width:12rem}
    fieldset{border:1px solid var(--line);border-radius:.5rem;margin:0 0 1.25rem;padding:.75rem 1rem}
    legend{font-weight:700;padding:0 .25rem}
    .charter-question fieldset{border:0;padding:0;margin:.5rem 0}
    button{font:inherit;padding:.45rem .9rem;border-radius:.3rem;border:1px solid #4a5561;background:#fff;color:var(--ink);cursor:pointer}
    button.primary,.button{background:var(--brand);border-color:var(--brand);color:#fff;text-decoration:none;display:inline-block;padding:.45rem .9rem;border-radius:.3rem}
    button.danger{border-color:var(--danger);color:var(--danger)}
    .button.danger{background:#fff;border:1px solid var(--danger);color:var(--danger)}
    .confirm{border-left:.35rem solid var(--danger);background:#fff5f5;padding:.5rem .75rem;margin-bottom:1rem}
    .has-error input,.has-error textarea,.has-error select{border:2px solid var(--danger)}
    .field-error,.error-message{color:var(--danger);font-weight:600;margin:.2rem 0}
    .form-errors{border:2px solid var(--danger);border-radius:.5rem;padding:.5rem 1rem;margin-bottom:1rem;background:#fff5f5}
    .notice{border-left:.35rem solid var(--ok);background:#eef7f0;padding:.5rem .75rem}
    .members-only{border-left:.35rem solid var(--brand);background:#f2f5fa;padding:.5rem .75rem}
    .warning{border-left:.35rem solid var(--warn);background:#fdf6e7;padding:.5rem .75rem}
    .badge{background:#b91c1c;color:#fff;border-radius:1rem;padding:0 .45rem;margin-left:.3rem;font-size:.85rem}
    .chart-box{max-width:40rem;margin:.5rem 0}.chart{width:100%;height:auto}
    ul.inline{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:0}
    th.num,td.num{text-align:right;font-variant-numeric:tabular-nums}
    dl.figures{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dl.figures dd{margin:0}
    table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;background:var(--card)}
    th,td{border:1px solid var(--line);padding:.4rem .5rem;text-align:left;vertical-align:top}
    caption{text-align:left;font-weight:600;padding:.25rem 0}
    .actions{display:flex;gap:.5rem;flex-wrap:wrap}.actions form{margin:0}
    .inline{display:flex;gap:.5rem;align-items:center}.inline select{width:auto}
    .inbox{padding-left:1.2rem}.inbox .unread{font-weight:600}.when{color:var(--muted);font-size:.85rem;font-weight:400}
    .inbox-preview{background:#fffbea;border:1px solid #e6d48a;border-radius:.5rem;padding:.5rem 1rem;margin-bottom:1rem}
    code{overflow-wrap:anywhere}
    .calendar{max-width:30rem}.calendar td{text-align:center}.calendar .free{background:#eef7f0}.calendar .booked{background:#fbe3e4;color:#7a1014;font-weight:600}.calendar .blocked{background:#eceae4;color:#4a4740;font-style:italic}
    .calendar .past{background:#f1f2f4;color:#4a5561}.legend span{display:inline-block;padding:0 .5rem;margin-right:.5rem;border:1px solid var(--line)}.thread{list-style:none;padding:0}.thread li{border-left:.25rem solid var(--line);padding:.25rem .75rem;margin:.5rem 0}
    @media (max-width:40rem){main{padding:.75rem}table{display:block;overflow-x:auto}h1{font-size:1.45rem}}
    .badge.phase-open{background:var(--ok)}.badge.phase-upcoming,.badge.phase-draft{background:#4a5561}.badge.phase-closed,.badge.phase-cancelled{background:#6b21a8}
    .filters input[type=search]{min-width:14rem}
    input.qty{width:5.5rem;display:inline-block;margin-right:.4rem}
    ul.variants{padding-left:0;list-style:none}ul.variants li{margin:.4rem 0}ul.variants form{display:inline-flex;gap:.3rem;align-items:center;margin-left:.3rem}
    img.product-photo{max-width:100%;height:auto;border-radius:.3rem}
    .variant-row{display:grid;grid-template-columns:repeat(auto-fill,minmax(10rem,1fr));gap:.5rem;border-top:1px solid var(--line);padding-top:.5rem}
    .pager{display:flex;gap:1rem;margin:1rem 0}
    .keep-lines{white-space:pre-line}
    .notification-choices label.choice{display:block;padding:.6rem;margin:-.4rem -.5rem;cursor:pointer}.notification-choices input[type=radio]{width:1.25rem;height:1.25rem}
    input[type=date],input[type=datetime-local],input[type=time],input[type=month]{width:100%;max-width:36rem;padding:.5rem;border:1px solid #6b7682;border-radius:.3rem;font:inherit;background:#fff;color:var(--ink)}
    .cards{grid-template-columns:repeat(auto-fill,minmax(min(19rem,100%),1fr))}
    main{overflow-wrap:break-word}
    details.advanced{border:1px solid var(--line);border-radius:.5rem;padding:.5rem 1rem;margin:1rem 0;background:var(--card)}details.advanced summary{font-weight:600;cursor:pointer}
    .inbox-day{font-size:1rem;margin:1rem 0 .25rem;color:var(--muted)}
    @media (max-width:37.5rem){
    table.stack,table.stack tbody,table.stack tr,table.stack td,table.stack tbody th{display:block;width:100%}
    table.stack{overflow:visible;background:none;border:0}table.stack caption{display:block;width:100%}
    table.stack thead{display:block}table.stack thead tr{position:absolute;top:-9999px;left:-9999px}
    table.stack tr{background:var(--card);border:1px solid var(--line);border-radius:.5rem;margin:0 0 .75rem;padding:.25rem .75rem}
    table.stack td,table.stack tbody th{border:0;border-bottom:1px solid #eceff2;padding:.35rem 0;text-align:left}
    table.stack tr>:last-child{border-bottom:0}
    table.stack tbody tr{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));column-gap:1rem}table.stack tbody tr>:first-child,table.stack td:has(form),table.stack td:has(ul){grid-column:1/-1}
    table.stack td[data-label]::before{content:attr(data-label);display:block;font-weight:600;font-size:.85rem;color:var(--muted)}
    table.stack tfoot{display:block}table.stack tfoot tr{display:block}table.stack tfoot td,table.stack tfoot th{display:block;border:0}
    .filters,.filters .field,.filters select,.filters input[type=search]{width:100%;min-width:0}
    .site-header{padding:.5rem .75rem}
    dl.figures{grid-template-columns:1fr}dl.figures dd{margin:0 0 .5rem}
    input.qty{width:4.5rem}
    }
    @media print{.site-header,.site-footer,.filters,form,.no-print{display:none}.report-block{break-inside:avoid}}
    .invoice-parties{display:flex;flex-wrap:wrap;gap:1rem 3rem}table.invoice-totals{width:auto;min-width:16rem;margin-left:auto}.invoice tr{break-inside:avoid}
    @page{size:A4;margin:15mm}
    """
}
