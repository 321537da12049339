#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/value.h"
#include "core/strbuf.h"
#include "core/gofmt.h"
#include "sprig_extra_util.h"
extern const cv_fnreg fn_regex_table[];
static char *rd(FILE *f, size_t *n) { unsigned int l; if (fread(&l,4,1,f)!=1) return NULL; char *b=malloc(l+1); fread(b,1,l,f); b[l]=0; *n=l; return b; }
static void q(const char *s, size_t n) { strbuf sb=STRBUF_INIT; gofmt_quote(&sb,s,n); fputs(sb_str(&sb),stdout); sb_release(&sb); }
int main(void) {
  FILE *f=fopen("cases.bin","rb"); size_t pn,sn; char *p,*s;
  while ((p=rd(f,&pn)) && (s=rd(f,&sn))) {
    arena *a=arena_new(); const char *err=NULL;
    cval *pv=cv_string(a,p,pn), *sv=cv_string(a,s,sn);
    cval *m=tcall(a,fn_regex_table,"mustRegexMatch",2,(cval*[]){pv,sv},&err);
    q(p,pn);
    if(!m){ printf(" ERR %s\n", err); arena_free(a); continue; }
    printf(" %s ", m->u.b?"true":"false");
    cval *fa=tcall(a,fn_regex_table,"regexFindAll",3,(cval*[]){pv,sv,cv_goint(a,-1)},&err);
    strbuf sb=STRBUF_INIT;
    if (cv_list_len(fa)==0) sb_adds(&sb,"null"); else tjson(&sb,fa);
    sb_addc(&sb,' ');
    cval *sp=tcall(a,fn_regex_table,"regexSplit",3,(cval*[]){pv,sv,cv_goint(a,-1)},&err);
    tjson(&sb,sp);
    fputs(sb_str(&sb),stdout); sb_release(&sb);
    putchar(' ');
    cval *r=tcall(a,fn_regex_table,"regexReplaceAll",3,(cval*[]){pv,sv,cv_cstring(a,"<$1|${n}>")},&err);
    q(r->u.str.s,r->u.str.len); putchar(' ');
    cval *fd=tcall(a,fn_regex_table,"regexFind",2,(cval*[]){pv,sv},&err);
    q(fd->u.str.s,fd->u.str.len); putchar('\n');
    arena_free(a);
  }
}
