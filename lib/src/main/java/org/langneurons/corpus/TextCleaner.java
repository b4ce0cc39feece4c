package org.langneurons.corpus;

import java.lang.Character.UnicodeScript;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cleaning rules of the corpus: entity decoding, markup and placeholder stripping, whitespace and Unicode (NFC)
 * normalisation, and the script and "still English" checks that decide whether a paragraph counts as a language.
 *
 * <pre>{@code
 * String text = TextCleaner.clean("<p>Cliquez sur &lt;b&gt;OK&lt;/b&gt;&nbsp;pour enregistrer le document.</p>");
 * // "Cliquez sur OK pour enregistrer le document."
 * String why = TextCleaner.rejection(text, Language.FR);   // null: it counts as French
 * }</pre>
 */
public final class TextCleaner {
    private TextCleaner() {
    }

    /** The 252 named character references of HTML 4 (name=hex code point), plus apos. */
    private static final String HTML4_ENTITIES =
            "AElig=c6,Aacute=c1,Acirc=c2,Agrave=c0,Alpha=391,Aring=c5,Atilde=c3,Auml=c4,Beta=392,Ccedil=c7,Chi=3a" +
            "7,Dagger=2021,Delta=394,ETH=d0,Eacute=c9,Ecirc=ca,Egrave=c8,Epsilon=395,Eta=397,Euml=cb,Gamma=393,Ia" +
            "cute=cd,Icirc=ce,Igrave=cc,Iota=399,Iuml=cf,Kappa=39a,Lambda=39b,Mu=39c,Ntilde=d1,Nu=39d,OElig=152,O" +
            "acute=d3,Ocirc=d4,Ograve=d2,Omega=3a9,Omicron=39f,Oslash=d8,Otilde=d5,Ouml=d6,Phi=3a6,Pi=3a0,Prime=2" +
            "033,Psi=3a8,Rho=3a1,Scaron=160,Sigma=3a3,THORN=de,Tau=3a4,Theta=398,Uacute=da,Ucirc=db,Ugrave=d9,Ups" +
            "ilon=3a5,Uuml=dc,Xi=39e,Yacute=dd,Yuml=178,Zeta=396,aacute=e1,acirc=e2,acute=b4,aelig=e6,agrave=e0,a" +
            "lefsym=2135,alpha=3b1,amp=26,and=2227,ang=2220,aring=e5,asymp=2248,atilde=e3,auml=e4,bdquo=201e,beta" +
            "=3b2,brvbar=a6,bull=2022,cap=2229,ccedil=e7,cedil=b8,cent=a2,chi=3c7,circ=2c6,clubs=2663,cong=2245,c" +
            "opy=a9,crarr=21b5,cup=222a,curren=a4,dArr=21d3,dagger=2020,darr=2193,deg=b0,delta=3b4,diams=2666,div" +
            "ide=f7,eacute=e9,ecirc=ea,egrave=e8,empty=2205,emsp=2003,ensp=2002,epsilon=3b5,equiv=2261,eta=3b7,et" +
            "h=f0,euml=eb,euro=20ac,exist=2203,fnof=192,forall=2200,frac12=bd,frac14=bc,frac34=be,frasl=2044,gamm" +
            "a=3b3,ge=2265,gt=3e,hArr=21d4,harr=2194,hearts=2665,hellip=2026,iacute=ed,icirc=ee,iexcl=a1,igrave=e" +
            "c,image=2111,infin=221e,int=222b,iota=3b9,iquest=bf,isin=2208,iuml=ef,kappa=3ba,lArr=21d0,lambda=3bb" +
            ",lang=2329,laquo=ab,larr=2190,lceil=2308,ldquo=201c,le=2264,lfloor=230a,lowast=2217,loz=25ca,lrm=200" +
            "e,lsaquo=2039,lsquo=2018,lt=3c,macr=af,mdash=2014,micro=b5,middot=b7,minus=2212,mu=3bc,nabla=2207,nb" +
            "sp=a0,ndash=2013,ne=2260,ni=220b,not=ac,notin=2209,nsub=2284,ntilde=f1,nu=3bd,oacute=f3,ocirc=f4,oel" +
            "ig=153,ograve=f2,oline=203e,omega=3c9,omicron=3bf,oplus=2295,or=2228,ordf=aa,ordm=ba,oslash=f8,otild" +
            "e=f5,otimes=2297,ouml=f6,para=b6,part=2202,permil=2030,perp=22a5,phi=3c6,pi=3c0,piv=3d6,plusmn=b1,po" +
            "und=a3,prime=2032,prod=220f,prop=221d,psi=3c8,quot=22,rArr=21d2,radic=221a,rang=232a,raquo=bb,rarr=2" +
            "192,rceil=2309,rdquo=201d,real=211c,reg=ae,rfloor=230b,rho=3c1,rlm=200f,rsaquo=203a,rsquo=2019,sbquo" +
            "=201a,scaron=161,sdot=22c5,sect=a7,shy=ad,sigma=3c3,sigmaf=3c2,sim=223c,spades=2660,sub=2282,sube=22" +
            "86,sum=2211,sup=2283,sup1=b9,sup2=b2,sup3=b3,supe=2287,szlig=df,tau=3c4,there4=2234,theta=3b8,thetas" +
            "ym=3d1,thinsp=2009,thorn=fe,tilde=2dc,times=d7,trade=2122,uArr=21d1,uacute=fa,uarr=2191,ucirc=fb,ugr" +
            "ave=f9,uml=a8,upsih=3d2,upsilon=3c5,uuml=fc,weierp=2118,xi=3be,yacute=fd,yen=a5,yuml=ff,zeta=3b6,zwj" +
            "=200d,zwnj=200c";
    private static final Map<String, String> ENTITIES = entities();

    private static Map<String, String> entities() {
        Map<String, String> m = new java.util.HashMap<>();
        for (String e : HTML4_ENTITIES.split(",")) {
            int eq = e.indexOf('=');
            m.put(e.substring(0, eq), new String(Character.toChars(Integer.parseInt(e.substring(eq + 1), 16))));
        }
        m.put("apos", "'");
        m.put("nbsp", " ");
        m.put("shy", "");
        return Map.copyOf(m);
    }

    private static final Pattern ENTITY =
            Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,15});");
    private static final Pattern TAG = Pattern.compile("<(/?[A-Za-z][^<>]{0,300}|!--.*?--)>", Pattern.DOTALL);
    private static final Pattern PLACEHOLDERS = Pattern.compile(String.join("|",
            "\\$\\([A-Za-z0-9_]+\\)",                  // LibreOffice $(ARG1)
            "%[0-9]+\\$[sdSuifx@]",                    // printf positional %1$s
            "%(?:l?[sdSuifx@])(?![\\p{L}\\p{N}])",     // printf %s %d %S
            "%[0-9]+(?![\\p{N}%])",                    // %1 %2
            "%[A-Z][A-Z0-9_]{2,}%?",                   // %PRODUCTNAME %FILENAME%
            "\\{\\s*\\$?-?[A-Za-z_][A-Za-z0-9_.-]*\\s*\\}", // Fluent { $var } { -term } and {name}
            "\\{[0-9]+\\}",                            // {0}
            "\\$[0-9]+\\b",                            // $1
            "\\$[A-Z][A-Z0-9_]+\\$?",                   // $FILE$
            "\\$[a-z][a-z0-9_]*\\$"));                 // $name$
    private static final Pattern UI_MNEMONIC_PAREN = Pattern.compile("[(（]\\s*[_&~]?[A-Za-z0-9]\\s*[)）]");
    private static final Pattern UI_MNEMONIC = Pattern.compile("(?<![\\p{L}\\p{N}])[_&](?=\\p{L})");
    private static final Pattern INVISIBLE = Pattern.compile("[\u200b\u2060\ufeff\u00ad\u200e\u200f\u202a-\u202e]");
    private static final Pattern SPACE = Pattern.compile("[\\s\\p{Z}\\p{Cc}]+");

    /** Frequent English function words that are not (common) words of French, Spanish, Vietnamese or Indonesian. */
    private static final Set<String> ENGLISH_FUNCTION_WORDS = Set.of("the", "and", "of", "is", "are", "you", "your",
            "with", "this", "that", "for", "from", "which", "be", "by", "can", "will", "not", "has", "have", "it",
            "its", "if", "when", "into", "then", "these", "there", "their", "was", "were", "should", "must", "all");

    /** Decodes HTML/XML character references ({@code &amp;}, {@code &#233;}, {@code &#x915;}, common named ones). */
    public static String decodeEntities(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = ENTITY.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            String e = m.group(1);
            String rep;
            if (e.charAt(0) == '#') {
                int cp;
                try {
                    cp = e.length() > 1 && (e.charAt(1) == 'x' || e.charAt(1) == 'X')
                            ? Integer.parseInt(e.substring(2), 16) : Integer.parseInt(e.substring(1));
                } catch (NumberFormatException ex) {
                    cp = -1;
                }
                rep = Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : " ";
            } else {
                rep = ENTITIES.get(e);
                if (rep == null) {
                    rep = " ";
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(rep));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Removes any remaining markup tags ({@code <b>}, {@code <a href=...>}, comments), leaving their text. */
    public static String stripTags(String s) {
        return s.indexOf('<') < 0 ? s : TAG.matcher(s).replaceAll(" ");
    }

    /**
     * Removes format placeholders: {@code $(ARG1)}, {@code %s}, {@code %1$s}, {@code %1}, <code>{ $n }</code>,
     * <code>{0}</code>, {@code $name$}; {@code %PRODUCTNAME} becomes "LibreOffice".
     */
    public static String stripPlaceholders(String s) {
        String t = s.replace("%PRODUCTNAME", "LibreOffice");
        return PLACEHOLDERS.matcher(t).replaceAll(" ");
    }

    /** Whitespace to single spaces (trimmed), invisible format characters removed (ZWJ/ZWNJ kept), NFC. */
    public static String normalize(String s) {
        String t = INVISIBLE.matcher(s).replaceAll("");
        t = SPACE.matcher(t).replaceAll(" ").strip();
        return Normalizer.normalize(t, Normalizer.Form.NFC);
    }

    /** The full cleaning of a paragraph: entities, tags, placeholders, whitespace, NFC. */
    public static String clean(String raw) {
        return normalize(stripPlaceholders(stripTags(decodeEntities(raw))));
    }

    /**
     * {@link #clean} plus what only user-interface strings carry: keyboard mnemonics ({@code ~Open}, {@code _File},
     * {@code &Save}, {@code ファイル(_F)}), and a trailing ellipsis or colon of a menu label.
     */
    public static String cleanUiMessage(String raw) {
        String t = clean(raw).replace("~", "");
        t = UI_MNEMONIC_PAREN.matcher(t).replaceAll("");
        t = UI_MNEMONIC.matcher(t).replaceAll("");
        t = normalize(t);
        if (t.endsWith("...") || t.endsWith("\u2026")) {
            t = t.substring(0, t.endsWith("...") ? t.length() - 3 : t.length() - 1).strip();
        }
        return t;
    }

    /**
     * Share of the letters of {@code text} that are in one of {@code scripts}. Letters are code points for which
     * {@link Character#isAlphabetic(int)} holds (letters, and the vowel signs of the Indic scripts, which are marks
     * but spell vowels); letters of the COMMON and INHERITED scripts (e.g. the Japanese prolonged sound mark) count
     * for neither side. Returns 0 when there is no letter.
     */
    public static double scriptShare(String text, Set<UnicodeScript> scripts) {
        int in = 0;
        int all = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (!Character.isAlphabetic(cp)) {
                continue;
            }
            UnicodeScript sc = UnicodeScript.of(cp);
            if (sc == UnicodeScript.COMMON || sc == UnicodeScript.INHERITED) {
                continue;
            }
            all++;
            if (scripts.contains(sc)) {
                in++;
            }
        }
        return all == 0 ? 0 : (double) in / all;
    }

    /** Number of letters (as in {@link #scriptShare}) in {@code text}. */
    public static int letters(String text) {
        return (int) text.codePoints().filter(Character::isAlphabetic).count();
    }

    /**
     * Whether a Latin-script text reads as English: at least two of its words, and at least 12% of them, are frequent
     * English function words that French, Spanish, Vietnamese and Indonesian do not use. Catches untranslated
     * paragraphs of partly translated sources that are not byte-identical to the English one.
     */
    public static boolean looksEnglish(String text) {
        int words = 0;
        int english = 0;
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}]+")) {
            if (w.isEmpty()) {
                continue;
            }
            words++;
            if (ENGLISH_FUNCTION_WORDS.contains(w)) {
                english++;
            }
        }
        return english >= 2 && english >= 0.12 * words;
    }

    /** Length in code points. */
    public static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    /**
     * Why {@code text} (already cleaned) does not count as a document of {@code lang}, or {@code null} if it does:
     * {@code "short"} (fewer than {@link Language#minChars()} code points), {@code "script"} (fewer than
     * {@link Language#MIN_SCRIPT_SHARE} of its letters in the expected script, or fewer than 2 letters), or
     * {@code "english"} (a non-English Latin-script text that {@link #looksEnglish reads as English}).
     */
    public static String rejection(String text, Language lang) {
        if (length(text) < lang.minChars()) {
            return "short";
        }
        if (letters(text) < 2 || lang.scriptShare(text) < Language.MIN_SCRIPT_SHARE) {
            return "script";
        }
        if (lang.isLatin() && lang != Language.EN && looksEnglish(text)) {
            return "english";
        }
        return null;
    }
}
