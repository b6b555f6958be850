/** The page's look: close enough to Slack's that a message reads as it will there. */
export const STYLE = `*{box-sizing:border-box}
body{font:15px/1.46 -apple-system,"Segoe UI",Lato,Helvetica,Arial,sans-serif;margin:0;color:#1d1c1d;background:#f8f8f8}
header{position:sticky;top:0;z-index:5;background:#3f0e40;color:#fff;padding:.6em 1.2em;display:flex;flex-wrap:wrap;gap:.4em 1.5em;align-items:center}
header h1{font-size:17px;margin:0}header a{color:#fff}header select{font-size:14px;padding:.2em}
#status{flex-basis:100%;font-size:13px;color:#e8d5e8;min-height:1.2em}#status.bad{color:#ffb3c7;font-weight:bold}
main{max-width:920px;margin:0 auto;padding:.5em 1em 4em}
h2.group{font-size:13px;text-transform:uppercase;letter-spacing:.06em;color:#616061;margin:1.4em 0 .4em}
section.conversation{background:#fff;border:1px solid #e2e2e2;border-radius:8px;margin:.6em 0;padding:.4em 1em .6em}
section.conversation h3{font-size:15px;margin:.3em 0 .4em}section h3 small{color:#8a8a8a;font-weight:normal;font-size:12px}
section.im{border-left:4px solid #1264a3}section.home{border-left:4px solid #2eb67d}
article.message{border-top:1px solid #f0f0f0;padding:.5em 0}article.message:first-of-type{border-top:0}
article.ephemeral{background:#f4f9fd;border-radius:6px;padding:.5em}
.meta{font-size:13px;color:#616061;margin-bottom:.15em}.meta b{color:#1d1c1d;margin-right:.4em}
.badge{display:inline-block;background:#eee;color:#555;border-radius:4px;padding:0 .4em;margin-left:.4em;font-size:11px}
.badge.only-you{background:#d4e9f7;color:#0b4c8c}
.line{display:block;min-height:1.2em;white-space:pre-wrap}
blockquote{border-left:4px solid #ddd;margin:.2em 0;padding:0 0 0 .8em;white-space:pre-wrap}
ul{margin:.2em 0;padding-left:1.5em}code{background:#f3f3f3;border:1px solid #e4e4e4;border-radius:3px;padding:0 .2em;color:#c01343;font-size:13px}
pre{background:#f8f8f8;border:1px solid #e4e4e4;border-radius:4px;padding:.5em;white-space:pre-wrap}
.mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 .15em}
.header{font-size:18px;font-weight:900;margin:.3em 0}.section{display:flex;gap:1em;margin:.25em 0}.section-body{flex:1}
.fields{display:grid;grid-template-columns:1fr 1fr;gap:.3em 1em;margin-top:.3em}
.context{color:#616061;font-size:12px;margin:.3em 0;display:flex;gap:.6em;align-items:center}.context-image{width:16px;height:16px}
hr.divider{border:0;border-top:1px solid #e2e2e2;margin:.6em 0}
.actions{display:flex;flex-wrap:wrap;gap:.5em;margin:.5em 0}form.press{display:inline-block;margin:0}
.btn{font:inherit;font-size:14px;font-weight:bold;border:1px solid #bbb;border-radius:4px;background:#fff;color:#1d1c1d;padding:.25em .9em;cursor:pointer}
.btn:hover{background:#f3f3f3}.btn.primary{background:#007a5a;border-color:#007a5a;color:#fff}.btn.danger{background:#e01e5a;border-color:#e01e5a;color:#fff}
form.select select{font:inherit;font-size:14px;padding:.25em;border:1px solid #bbb;border-radius:4px;background:#fff}
.control.unsupported{display:inline-block;border:1px dashed #bbb;border-radius:4px;padding:.1em .6em;color:#555;font-size:13px}
.unsupported{color:#999;font-size:12px}.empty{color:#8a8a8a}
.thread{margin-left:1.5em;border-left:3px solid #e2e2e2;padding-left:.8em}
details.quiet{color:#616061;margin:.8em 0}details.quiet ul{columns:2;font-size:13px}
.modal-backdrop{position:fixed;inset:0;background:rgba(0,0,0,.45);z-index:10;display:flex;align-items:flex-start;justify-content:center;padding-top:6vh}
form.modal{background:#fff;border-radius:8px;width:min(620px,94vw);max-height:86vh;display:flex;flex-direction:column;box-shadow:0 10px 40px rgba(0,0,0,.35)}
.modal-title{font-size:20px;font-weight:900;padding:.7em 1em;border-bottom:1px solid #e2e2e2}
.modal-body{padding:.5em 1em;overflow:auto}.modal-buttons{display:flex;justify-content:flex-end;gap:.5em;padding:.7em 1em;border-top:1px solid #e2e2e2}
.input-block{margin:.8em 0}.input-label{display:block;font-weight:bold;margin-bottom:.3em}.optional{color:#8a8a8a;font-weight:normal}
.input-block textarea,.input-block input[type=text],.input-block select{width:100%;font:inherit;padding:.5em;border:1px solid #bbb;border-radius:4px}
.choice{display:block;margin:.2em 0}.hint{color:#616061;font-size:12px}
.has-error textarea,.has-error input[type=text],.has-error select{border-color:#e01e5a}
.field-error{color:#e01e5a;font-size:13px;margin-top:.3em}`;
