package org.langneurons.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langneurons.io.TextTokenizer;

/**
 * The byte-level BPE trainer: merges derived by hand on tiny corpora, the saved {@code tokenizer.json} read by the Rust
 * library (through {@link TextTokenizer}) giving the Java encoder's ids on text of all 16 languages, round trips,
 * determinism, and that balanced training leaves no training language's script at byte level.
 */
class BpeTrainerTest {
    /** A few sentences per language, written for this test (training text). */
    static final Map<String, List<String>> SAMPLE = new LinkedHashMap<>();
    /** Other sentences per language (held out from training). */
    static final Map<String, String> HELD_OUT = new LinkedHashMap<>();

    static {
        SAMPLE.put("en", List.of(
                "The river rises every spring, and the farmers watch the water closely.",
                "Children walk to school along the old road near the market.",
                "My grandmother tells stories about the village where she was born.",
                "We cooked rice and beans for dinner while it was raining outside.",
                "The library opens at nine in the morning and closes at six in the evening.",
                "Scientists study how languages change over many generations."));
        SAMPLE.put("fr", List.of(
                "La rivière monte chaque printemps et les paysans surveillent l'eau de près.",
                "Les enfants marchent vers l'école le long de la vieille route près du marché.",
                "Ma grand-mère raconte des histoires sur le village où elle est née.",
                "Nous avons préparé du riz et des haricots pour le dîner pendant qu'il pleuvait.",
                "La bibliothèque ouvre à neuf heures du matin et ferme à six heures du soir.",
                "Les scientifiques étudient comment les langues changent au fil des générations."));
        SAMPLE.put("es", List.of(
                "El río crece cada primavera y los campesinos vigilan el agua de cerca.",
                "Los niños caminan a la escuela por el viejo camino cerca del mercado.",
                "Mi abuela cuenta historias sobre el pueblo donde nació.",
                "Cocinamos arroz y frijoles para la cena mientras llovía afuera.",
                "La biblioteca abre a las nueve de la mañana y cierra a las seis de la tarde.",
                "Los científicos estudian cómo cambian las lenguas a lo largo de muchas generaciones."));
        SAMPLE.put("vi", List.of(
                "Con sông dâng lên mỗi mùa xuân và những người nông dân theo dõi nước rất kỹ.",
                "Trẻ em đi bộ đến trường dọc theo con đường cũ gần chợ.",
                "Bà tôi kể những câu chuyện về ngôi làng nơi bà được sinh ra.",
                "Chúng tôi nấu cơm và đậu cho bữa tối trong khi trời đang mưa.",
                "Thư viện mở cửa lúc chín giờ sáng và đóng cửa lúc sáu giờ chiều.",
                "Các nhà khoa học nghiên cứu cách ngôn ngữ thay đổi qua nhiều thế hệ."));
        SAMPLE.put("id", List.of(
                "Sungai naik setiap musim semi dan para petani mengawasi air dengan cermat.",
                "Anak-anak berjalan ke sekolah menyusuri jalan tua dekat pasar.",
                "Nenek saya menceritakan kisah tentang desa tempat ia dilahirkan.",
                "Kami memasak nasi dan kacang untuk makan malam ketika hujan turun di luar.",
                "Perpustakaan buka pukul sembilan pagi dan tutup pukul enam sore.",
                "Para ilmuwan mempelajari bagaimana bahasa berubah dari generasi ke generasi."));
        SAMPLE.put("ja", List.of(
                "春になると川の水が増え、農家の人たちは水をよく見ている。",
                "子どもたちは市場の近くの古い道を歩いて学校へ行く。",
                "祖母は自分が生まれた村の話をしてくれる。",
                "外で雨が降っている間、私たちは夕食にご飯と豆を作った。",
                "図書館は朝九時に開いて、夕方六時に閉まる。",
                "科学者たちは言語が何世代にもわたってどのように変わるかを研究している。"));
        SAMPLE.put("zh", List.of(
                "每年春天河水上涨，农民们仔细地看着水。",
                "孩子们沿着市场附近的老路走路去学校。",
                "我的祖母讲述她出生的村庄的故事。",
                "外面下雨的时候，我们做了米饭和豆子当晚饭。",
                "图书馆早上九点开门，晚上六点关门。",
                "科学家研究语言如何在许多代人之间发生变化。"));
        SAMPLE.put("bn", List.of(
                "প্রতি বসন্তে নদীর পানি বাড়ে এবং কৃষকেরা মনোযোগ দিয়ে পানি দেখে।",
                "শিশুরা বাজারের কাছের পুরনো রাস্তা ধরে স্কুলে হেঁটে যায়।",
                "আমার দাদি তাঁর জন্মের গ্রামের গল্প বলেন।",
                "বাইরে বৃষ্টি হচ্ছিল যখন আমরা রাতের খাবারের জন্য ভাত আর ডাল রান্না করলাম।",
                "গ্রন্থাগার সকাল নয়টায় খোলে এবং সন্ধ্যা ছয়টায় বন্ধ হয়।",
                "বিজ্ঞানীরা গবেষণা করেন কীভাবে ভাষা অনেক প্রজন্ম ধরে বদলায়।"));
        SAMPLE.put("hi", List.of(
                "हर वसंत में नदी का पानी बढ़ता है और किसान ध्यान से पानी को देखते हैं।",
                "बच्चे बाज़ार के पास पुरानी सड़क से होकर स्कूल जाते हैं।",
                "मेरी दादी उस गाँव की कहानियाँ सुनाती हैं जहाँ उनका जन्म हुआ था।",
                "बाहर बारिश हो रही थी जब हमने रात के खाने के लिए चावल और दाल बनाई।",
                "पुस्तकालय सुबह नौ बजे खुलता है और शाम छह बजे बंद होता है।",
                "वैज्ञानिक अध्ययन करते हैं कि भाषाएँ कई पीढ़ियों में कैसे बदलती हैं।"));
        SAMPLE.put("ta", List.of(
                "ஒவ்வொரு வசந்த காலத்திலும் ஆற்றின் நீர் உயர்கிறது, விவசாயிகள் நீரை கவனமாகப் பார்க்கிறார்கள்.",
                "குழந்தைகள் சந்தைக்கு அருகிலுள்ள பழைய சாலை வழியாக பள்ளிக்கு நடந்து செல்கிறார்கள்.",
                "என் பாட்டி தான் பிறந்த கிராமத்தைப் பற்றிய கதைகளைச் சொல்கிறார்.",
                "வெளியே மழை பெய்து கொண்டிருந்தபோது நாங்கள் இரவு உணவுக்கு சோறும் பருப்பும் சமைத்தோம்.",
                "நூலகம் காலை ஒன்பது மணிக்குத் திறந்து மாலை ஆறு மணிக்கு மூடப்படும்.",
                "மொழிகள் பல தலைமுறைகளில் எப்படி மாறுகின்றன என்று விஞ்ஞானிகள் ஆய்வு செய்கிறார்கள்."));
        SAMPLE.put("te", List.of(
                "ప్రతి వసంతంలో నది నీరు పెరుగుతుంది, రైతులు నీటిని జాగ్రత్తగా గమనిస్తారు.",
                "పిల్లలు మార్కెట్ దగ్గర ఉన్న పాత రోడ్డు మీదుగా బడికి నడుచుకుంటూ వెళ్తారు.",
                "మా అమ్మమ్మ తాను పుట్టిన గ్రామం గురించి కథలు చెబుతుంది.",
                "బయట వర్షం పడుతుండగా మేము రాత్రి భోజనానికి అన్నం మరియు పప్పు వండాము.",
                "గ్రంథాలయం ఉదయం తొమ్మిది గంటలకు తెరుచుకుని సాయంత్రం ఆరు గంటలకు మూసివేయబడుతుంది.",
                "భాషలు అనేక తరాలలో ఎలా మారుతాయో శాస్త్రవేత్తలు అధ్యయనం చేస్తారు."));
        SAMPLE.put("mr", List.of(
                "प्रत्येक वसंत ऋतूत नदीचे पाणी वाढते आणि शेतकरी पाण्याकडे लक्ष देऊन पाहतात.",
                "मुले बाजाराजवळच्या जुन्या रस्त्याने शाळेत चालत जातात.",
                "माझी आजी ती ज्या गावात जन्मली त्या गावाच्या गोष्टी सांगते.",
                "बाहेर पाऊस पडत असताना आम्ही रात्रीच्या जेवणासाठी भात आणि वरण बनवले.",
                "ग्रंथालय सकाळी नऊ वाजता उघडते आणि संध्याकाळी सहा वाजता बंद होते.",
                "भाषा अनेक पिढ्यांमध्ये कशा बदलतात याचा शास्त्रज्ञ अभ्यास करतात."));
        SAMPLE.put("ur", List.of(
                "ہر بہار میں دریا کا پانی بڑھتا ہے اور کسان غور سے پانی کو دیکھتے ہیں۔",
                "بچے بازار کے قریب پرانی سڑک سے ہو کر اسکول جاتے ہیں۔",
                "میری دادی اس گاؤں کی کہانیاں سناتی ہیں جہاں وہ پیدا ہوئی تھیں۔",
                "باہر بارش ہو رہی تھی جب ہم نے رات کے کھانے کے لیے چاول اور دال پکائی۔",
                "کتب خانہ صبح نو بجے کھلتا ہے اور شام چھ بجے بند ہوتا ہے۔",
                "سائنس دان مطالعہ کرتے ہیں کہ زبانیں کئی نسلوں میں کیسے بدلتی ہیں۔"));
        SAMPLE.put("kn", List.of(
                "ಪ್ರತಿ ವಸಂತದಲ್ಲಿ ನದಿಯ ನೀರು ಏರುತ್ತದೆ ಮತ್ತು ರೈತರು ನೀರನ್ನು ಗಮನವಿಟ್ಟು ನೋಡುತ್ತಾರೆ.",
                "ಮಕ್ಕಳು ಮಾರುಕಟ್ಟೆಯ ಬಳಿಯ ಹಳೆಯ ರಸ್ತೆಯ ಮೂಲಕ ಶಾಲೆಗೆ ನಡೆದು ಹೋಗುತ್ತಾರೆ.",
                "ನನ್ನ ಅಜ್ಜಿ ತಾನು ಹುಟ್ಟಿದ ಹಳ್ಳಿಯ ಕಥೆಗಳನ್ನು ಹೇಳುತ್ತಾರೆ.",
                "ಹೊರಗೆ ಮಳೆ ಬರುತ್ತಿದ್ದಾಗ ನಾವು ರಾತ್ರಿಯ ಊಟಕ್ಕೆ ಅನ್ನ ಮತ್ತು ಬೇಳೆ ಬೇಯಿಸಿದೆವು.",
                "ಗ್ರಂಥಾಲಯ ಬೆಳಿಗ್ಗೆ ಒಂಬತ್ತು ಗಂಟೆಗೆ ತೆರೆಯುತ್ತದೆ ಮತ್ತು ಸಂಜೆ ಆರು ಗಂಟೆಗೆ ಮುಚ್ಚುತ್ತದೆ.",
                "ಭಾಷೆಗಳು ಅನೇಕ ತಲೆಮಾರುಗಳಲ್ಲಿ ಹೇಗೆ ಬದಲಾಗುತ್ತವೆ ಎಂದು ವಿಜ್ಞಾನಿಗಳು ಅಧ್ಯಯನ ಮಾಡುತ್ತಾರೆ."));
        SAMPLE.put("ml", List.of(
                "എല്ലാ വസന്തകാലത്തും പുഴയിലെ വെള്ളം ഉയരുന്നു, കർഷകർ വെള്ളം ശ്രദ്ധയോടെ നോക്കുന്നു.",
                "കുട്ടികൾ ചന്തയ്ക്കടുത്തുള്ള പഴയ റോഡിലൂടെ സ്കൂളിലേക്ക് നടന്നു പോകുന്നു.",
                "എന്റെ മുത്തശ്ശി താൻ ജനിച്ച ഗ്രാമത്തെക്കുറിച്ചുള്ള കഥകൾ പറയുന്നു.",
                "പുറത്ത് മഴ പെയ്യുമ്പോൾ ഞങ്ങൾ അത്താഴത്തിന് ചോറും പരിപ്പും പാകം ചെയ്തു.",
                "ഗ്രന്ഥശാല രാവിലെ ഒമ്പത് മണിക്ക് തുറക്കുകയും വൈകുന്നേരം ആറ് മണിക്ക് അടയ്ക്കുകയും ചെയ്യുന്നു.",
                "ഭാഷകൾ പല തലമുറകളിലൂടെ എങ്ങനെ മാറുന്നു എന്ന് ശാസ്ത്രജ്ഞർ പഠിക്കുന്നു."));
        SAMPLE.put("pa", List.of(
                "ਹਰ ਬਸੰਤ ਵਿੱਚ ਦਰਿਆ ਦਾ ਪਾਣੀ ਵਧਦਾ ਹੈ ਅਤੇ ਕਿਸਾਨ ਧਿਆਨ ਨਾਲ ਪਾਣੀ ਨੂੰ ਵੇਖਦੇ ਹਨ।",
                "ਬੱਚੇ ਬਾਜ਼ਾਰ ਦੇ ਨੇੜੇ ਪੁਰਾਣੀ ਸੜਕ ਰਾਹੀਂ ਸਕੂਲ ਨੂੰ ਤੁਰ ਕੇ ਜਾਂਦੇ ਹਨ।",
                "ਮੇਰੀ ਦਾਦੀ ਉਸ ਪਿੰਡ ਦੀਆਂ ਕਹਾਣੀਆਂ ਸੁਣਾਉਂਦੀ ਹੈ ਜਿੱਥੇ ਉਹ ਜੰਮੀ ਸੀ।",
                "ਬਾਹਰ ਮੀਂਹ ਪੈ ਰਿਹਾ ਸੀ ਜਦੋਂ ਅਸੀਂ ਰਾਤ ਦੇ ਖਾਣੇ ਲਈ ਚੌਲ ਅਤੇ ਦਾਲ ਬਣਾਈ।",
                "ਲਾਇਬ੍ਰੇਰੀ ਸਵੇਰੇ ਨੌਂ ਵਜੇ ਖੁੱਲ੍ਹਦੀ ਹੈ ਅਤੇ ਸ਼ਾਮ ਛੇ ਵਜੇ ਬੰਦ ਹੁੰਦੀ ਹੈ।",
                "ਵਿਗਿਆਨੀ ਅਧਿਐਨ ਕਰਦੇ ਹਨ ਕਿ ਭਾਸ਼ਾਵਾਂ ਕਈ ਪੀੜ੍ਹੀਆਂ ਵਿੱਚ ਕਿਵੇਂ ਬਦਲਦੀਆਂ ਹਨ।"));

        HELD_OUT.put("en", "Yesterday the train to the coast was late by 45 minutes, so we read books on the platform.");
        HELD_OUT.put("fr", "Hier, le train pour la côte avait 45 minutes de retard ; nous avons lu des livres sur le quai.");
        HELD_OUT.put("es", "Ayer el tren a la costa llegó con 45 minutos de retraso, así que leímos libros en el andén.");
        HELD_OUT.put("vi", "Hôm qua chuyến tàu ra biển bị trễ 45 phút, nên chúng tôi đọc sách trên sân ga.");
        HELD_OUT.put("id", "Kemarin kereta ke pantai terlambat 45 menit, jadi kami membaca buku di peron.");
        HELD_OUT.put("ja", "昨日、海岸行きの電車が45分遅れたので、私たちはホームで本を読んだ。");
        HELD_OUT.put("zh", "昨天去海边的火车晚点了45分钟，所以我们在站台上看书。");
        HELD_OUT.put("bn", "গতকাল উপকূলের ট্রেন ৪৫ মিনিট দেরি করেছিল, তাই আমরা প্ল্যাটফর্মে বই পড়েছিলাম।");
        HELD_OUT.put("hi", "कल तट की ओर जाने वाली ट्रेन ४५ मिनट देर से आई, इसलिए हमने प्लेटफ़ॉर्म पर किताबें पढ़ीं।");
        HELD_OUT.put("ta", "நேற்று கடற்கரைக்குச் செல்லும் ரயில் 45 நிமிடங்கள் தாமதமானது, அதனால் நாங்கள் நடைமேடையில் புத்தகங்கள் படித்தோம்.");
        HELD_OUT.put("te", "నిన్న తీరానికి వెళ్ళే రైలు 45 నిమిషాలు ఆలస్యమైంది, అందుకే మేము ప్లాట్\u200cఫారమ్ మీద పుస్తకాలు చదివాము.");
        HELD_OUT.put("mr", "काल किनाऱ्याकडे जाणारी गाडी ४५ मिनिटे उशिरा आली, म्हणून आम्ही फलाटावर पुस्तके वाचली.");
        HELD_OUT.put("ur", "کل ساحل جانے والی ٹرین ۴۵ منٹ لیٹ تھی، اس لیے ہم نے پلیٹ فارم پر کتابیں پڑھیں۔");
        HELD_OUT.put("kn", "ನಿನ್ನೆ ಕರಾವಳಿಗೆ ಹೋಗುವ ರೈಲು 45 ನಿಮಿಷ ತಡವಾಗಿತ್ತು, ಆದ್ದರಿಂದ ನಾವು ಪ್ಲಾಟ್\u200cಫಾರ್ಮ್\u200cನಲ್ಲಿ ಪುಸ್ತಕ ಓದಿದೆವು.");
        HELD_OUT.put("ml", "ഇന്നലെ തീരത്തേക്കുള്ള തീവണ്ടി 45 മിനിറ്റ് വൈകി, അതിനാൽ ഞങ്ങൾ പ്ലാറ്റ്ഫോമിൽ പുസ്തകങ്ങൾ വായിച്ചു.");
        HELD_OUT.put("pa", "ਕੱਲ੍ਹ ਤੱਟ ਵੱਲ ਜਾਣ ਵਾਲੀ ਰੇਲਗੱਡੀ 45 ਮਿੰਟ ਲੇਟ ਸੀ, ਇਸ ਲਈ ਅਸੀਂ ਪਲੇਟਫਾਰਮ ਉੱਤੇ ਕਿਤਾਬਾਂ ਪੜ੍ਹੀਆਂ।");
    }

    /** Text that is not any one language: emoji, digits, whitespace runs, marks, special tokens, NFD input. */
    static final List<String> ODD = List.of(
            "",
            " ",
            "   ",
            "\t",
            "\n\n",
            "a",
            "Family 👨‍👩‍👧‍👦 and flags 🇮🇳🇯🇵, 😀😀😀 👍🏽!",
            "1234567890 3.14159 -42 1,000,000 ١٢٣٤ ۴۵۶ ०१२३ ১২৩ ௧௨௩ ½ ²³ Ⅻ",
            "  leading spaces\t\ttabs\n\n\nnewlines   trailing   ",
            "line one\r\nline two\r\n\r\n  indented\n\t\ttabbed",
            "a\u00A0b\u3000c\u2003d\u2028e\u0085f\u200Bg\u00ADh",
            "e\u0301te\u0301 Cafe\u0301 Vie\u0302\u0323t Nam \u1EC7",
            "\u0301 leading mark, \u093F alone, क\u094D\u200Dष",
            "it's we'll they've I'm she'd IT'S Don't ' 's",
            "<s>hello</s> <pad>x<s y </s><s><<s>>",
            "C++ & C# -> f(x) = x**2; /* comment */ {\"json\": [1, 2]} www.example.org/path?q=1",
            "Mixed: Hello नमस्ते 你好 こんにちは سلام வணக்கம் 안녕하세요 Привет Γειά σου שלום",
            "ＦＵＬＬＷＩＤＴＨ ｶﾀｶﾅ ㈱ ﬁ ℌ",
            "..... !!!??? ---___ *** ।।। ॥ 。。、、");

    static BpeModel sampleModel;
    static BpeTrainer.Result sampleResult;

    @BeforeAll
    static void trainOnSample() {
        sampleResult = BpeTrainer.trainWithReport(SAMPLE, BpeTrainer.Settings.defaults().withVocabSize(1500));
        sampleModel = sampleResult.model();
    }

    @Test
    void tinyCorpusMergesAsDerivedByHand() {
        // "aaabdaaabac" is one piece: a a a b d a a a b a c. Pairs: (a,a) 4, (a,b) 2, the rest 1.
        // 1: a+a (4)  -> aa a b d aa a b a c  (left to right: "aaa" -> "aa a")
        // 2: (aa,a) and (a,b) both 2; "a" sorts before "aa", so a+b -> aa ab d aa ab a c
        // 3: aa+ab (2) -> aaab d aaab a c; every pair left occurs once < minFrequency 2: stop.
        BpeModel m = BpeTrainer.train(Map.of("x", List.of("aaabdaaabac")), BpeTrainer.Settings.defaults());
        assertEquals(List.of("a a", "a b", "aa ab"), mergeStrings(m));
        assertEquals(BpeModel.FIRST_MERGE_ID + 3, m.vocabSize());
        assertEquals(BpeModel.FIRST_MERGE_ID + 2, m.id("aaab"));
        assertArrayEquals(new long[] {1, m.id("aaab"), m.id("d"), m.id("aaab"), m.id("a"), m.id("c")},
                m.encode("aaabdaaabac"));
        assertArrayEquals(new long[] {m.id("aa"), m.id("a")}, m.encode("aaa", false));

        // Pieces: "hug" 1, " hug" 2, " pug", " pun", " bun", " hugs" 1 each (" " is written Ġ).
        // (u,g) 5 -> ug; (h,ug) 4 -> hug; (Ġ,hug) 3 -> Ġhug; then (u,n) and (Ġ,p) tie at 2 and "u" < "Ġ"
        // (U+0075 < U+0120): u+n, then Ġ+p; everything else is seen once.
        BpeModel h = BpeTrainer.train(Map.of("x", List.of("hug hug hug pug pun bun hugs")),
                BpeTrainer.Settings.defaults());
        assertEquals(List.of("u g", "h ug", "Ġ hug", "u n", "Ġ p"), mergeStrings(h));
        assertArrayEquals(new long[] {h.id("hug"), h.id("s"), h.id("Ġp"), h.id("un")}, h.encode("hugs pun", false));
    }

    @Test
    void vocabularyLayout() {
        BpeModel m = sampleModel;
        assertEquals(1500, m.vocabSize());
        assertEquals(List.of("<pad>", "<s>", "</s>"), m.tokens().subList(0, 3));
        assertEquals("!", m.tokens().get(BpeModel.FIRST_BYTE_ID + '!'));
        assertEquals("Ġ", m.tokens().get(BpeModel.FIRST_BYTE_ID + ' '));
        assertEquals("Ċ", m.tokens().get(BpeModel.FIRST_BYTE_ID + '\n'));
        for (int b = 0; b < 256; b++) {
            assertEquals(b, ByteLevel.byteOf(m.tokens().get(BpeModel.FIRST_BYTE_ID + b).charAt(0)));
        }
        assertEquals(m.vocabSize(), m.tokens().stream().distinct().count(), "tokens are distinct");
    }

    @Test
    void rustLibraryEncodesAsTheJavaEncoder(@TempDir Path dir) {
        Path file = dir.resolve("tokenizer.json");
        sampleModel.save(file);
        try (TextTokenizer tok = TextTokenizer.load(file)) {
            List<String> texts = new ArrayList<>(HELD_OUT.values());
            texts.addAll(ODD);
            SAMPLE.values().forEach(texts::addAll);
            texts.add(String.join("\n", HELD_OUT.values()));
            for (String text : texts) {
                long[] java = sampleModel.encode(text);
                assertArrayEquals(java, tok.encode(text), () -> "ids of " + text);
                assertEquals(BpeModel.BOS_ID, java[0], "BOS first");
                assertArrayEquals(Arrays.copyOfRange(java, 1, java.length), tok.encode(text, false),
                        () -> "ids without special tokens of " + text);
                String nfc = PreTokenizer.normalize(text);
                if (!text.contains("<s>") && !text.contains("</s>") && !text.contains("<pad>")) {
                    assertEquals(nfc, tok.decode(tok.encode(text)), () -> "decode(encode(" + text + "))");
                    assertEquals(nfc, sampleModel.decode(java), () -> "Java decode of " + text);
                }
            }
            // Byte tokens that are not valid UTF-8 on their own decode to the same U+FFFDs in Java and in Rust.
            java.util.Random random = new java.util.Random(7);
            int[] tricky = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
                    0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
            for (int t = 0; t < 2000; t++) {
                long[] ids = new long[1 + random.nextInt(6)];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = BpeModel.FIRST_BYTE_ID + tricky[random.nextInt(tricky.length)];
                }
                assertEquals(tok.decode(ids), sampleModel.decode(ids), () -> "decode of " + Arrays.toString(ids));
            }
            assertArrayEquals(new long[] {1}, tok.encode(""));
            assertArrayEquals(new long[] {1, 1, 2, 0}, tok.encode("<s></s><pad>"));
            assertEquals("<s>hi</s>", tok.decode(tok.encode("hi</s>"), false));
        }
    }

    @Test
    void savedFileLayout(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tokenizer.json");
        sampleModel.save(file);
        JsonObject json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        JsonObject model = json.getAsJsonObject("model");
        assertEquals("BPE", model.get("type").getAsString());
        assertEquals(1500, model.getAsJsonObject("vocab").size());
        assertEquals(1500 - BpeModel.FIRST_MERGE_ID, model.getAsJsonArray("merges").size());
        assertEquals(1, model.getAsJsonObject("vocab").get("<s>").getAsInt());
        assertEquals(PreTokenizer.SPLIT_REGEX, json.getAsJsonObject("pre_tokenizer").getAsJsonArray("pretokenizers")
                .get(0).getAsJsonObject().getAsJsonObject("pattern").get("Regex").getAsString());
        assertEquals(3, json.getAsJsonArray("added_tokens").size());
        assertEquals("NFC", json.getAsJsonObject("normalizer").get("type").getAsString());
    }

    @Test
    void decodeOfEncodeIsTheNfcText() {
        for (String text : HELD_OUT.values()) {
            String nfd = java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFD);
            assertEquals(PreTokenizer.normalize(text), sampleModel.decode(sampleModel.encode(nfd)));
            assertArrayEquals(sampleModel.encode(text), sampleModel.encode(nfd), "NFD input encodes as NFC");
        }
    }

    @Test
    void deterministic(@TempDir Path dir) throws IOException {
        Map<String, List<String>> reversed = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(SAMPLE.keySet());
        java.util.Collections.reverse(keys);
        keys.forEach(k -> reversed.put(k, SAMPLE.get(k)));
        BpeModel again = BpeTrainer.train(reversed, BpeTrainer.Settings.defaults().withVocabSize(1500));
        sampleModel.save(dir.resolve("a.json"));
        again.save(dir.resolve("b.json"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.json")), Files.readAllBytes(dir.resolve("b.json")));
    }

    @Test
    void balancedTrainingLeavesNoScriptAtByteLevel(@TempDir Path dir) {
        // Budget of 400 characters: the longer samples are cut, zh (112 characters) counts 4 times, ja (156) 3 times.
        BpeTrainer.Result r = BpeTrainer.trainWithReport(SAMPLE,
                BpeTrainer.Settings.defaults().withVocabSize(1500).withCharsPerLanguage(400));
        assertEquals(16, r.samples().size());
        Map<String, BpeTrainer.LanguageSample> samples = r.samples().stream().collect(
                Collectors.toMap(BpeTrainer.LanguageSample::language, s -> s));
        assertEquals(400, samples.get("ta").characters());
        assertEquals(112, samples.get("zh").characters());
        assertEquals(4, samples.get("zh").weight());
        assertEquals(3, samples.get("ja").weight());
        assertEquals(1, samples.get("ta").weight());
        assertEquals(6, samples.get("en").documents());
        Path file = dir.resolve("tokenizer.json");
        r.model().save(file);
        try (TextTokenizer tok = TextTokenizer.load(file)) {
            Map<String, BpeTrainer.TokensPerChar> ratios = BpeTrainer.tokensPerCharacter(tok, SAMPLE);
            Map<String, BpeTrainer.TokensPerChar> heldOut = BpeTrainer.tokensPerCharacter(tok,
                    HELD_OUT.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()),
                            (a, b) -> a, LinkedHashMap::new)));
            StringBuilder report = new StringBuilder("tokens/char (sample, held out):");
            ratios.forEach((lang, t) -> report.append(String.format(" %s %.2f %.2f", lang, t.ratio(),
                    heldOut.get(lang).ratio())));
            System.out.println(report);
            for (BpeTrainer.TokensPerChar t : ratios.values()) {
                assertTrue(t.ratio() < 1, () -> report.toString());
            }
        }
        // No script stays at byte level: in every language, almost every character is whole inside one token (a
        // token boundary inside a character's bytes is what byte-level fallback looks like).
        StringBuilder cut = new StringBuilder("characters cut by a token boundary:");
        for (Map.Entry<String, List<String>> e : SAMPLE.entrySet()) {
            long chars = 0;
            long cutChars = 0;
            for (String doc : e.getValue()) {
                String nfc = PreTokenizer.normalize(doc);
                boolean[] boundary = tokenBoundaries(r.model(), nfc);
                int at = 0;
                for (int i = 0; i < nfc.length(); ) {
                    int cp = nfc.codePointAt(i);
                    int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
                    for (int k = 1; k < n; k++) {
                        if (boundary[at + k]) {
                            cutChars++;
                            break;
                        }
                    }
                    chars++;
                    at += n;
                    i += Character.charCount(cp);
                }
            }
            double share = (double) cutChars / chars;
            cut.append(String.format(" %s %.3f", e.getKey(), share));
            assertTrue(share < 0.35, () -> e.getKey() + ": " + share + " of the characters are cut");
        }
        System.out.println(cut);
    }

    /** For each byte offset of {@code text}'s UTF-8, whether a token of {@code model} starts there. */
    private static boolean[] tokenBoundaries(BpeModel model, String text) {
        boolean[] starts = new boolean[text.getBytes(StandardCharsets.UTF_8).length + 1];
        int at = 0;
        for (long id : model.encode(text, false)) {
            starts[at] = true;
            at += ByteLevel.bytes(model.tokens().get((int) id)).length;
        }
        starts[at] = true;
        return starts;
    }

    /**
     * The Java split equals the Rust one (Oniguruma) code point by code point: a byte-only tokenizer's word ids (one
     * per pre-tokenized piece) against the pieces of {@link PreTokenizer#split}, for every code point of the Basic
     * Multilingual Plane, of the ranges Java 17 does not know, and every 61st other one of planes 1..3 and 14 (all of
     * them with {@code -Dlangneurons.exhaustive=true}, a few minutes). Each code point {@code c} stands in
     * {@code "a" + c + "1" + c + " " + c + "\n"}, which tells letters and marks, digits, whitespace and the rest apart.
     */
    @Test
    void javaSplitsLikeTheRustLibrary(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tokenizer.json");
        new BpeModel(new int[0], new int[0]).save(file);
        boolean all = Boolean.getBoolean("langneurons.exhaustive");
        java.util.BitSet newer = ranges(PreTokenizer.LETTERS_AFTER_JAVA + " " + PreTokenizer.DIGITS_AFTER_JAVA);
        List<String> mismatches = new ArrayList<>();
        try (HuggingFaceTokenizer rust = HuggingFaceTokenizer.builder().optTokenizerPath(file)
                .optAddSpecialTokens(false).optTruncation(false).optPadding(false)
                .optMaxLength(Integer.MAX_VALUE / 2).build()) {
            List<String> lines = new ArrayList<>();
            int size = 0;
            for (int cp = 0; cp <= 0x10FFFF; cp++) {
                boolean wanted = cp < 0x10000 || all || cp % 61 == 0 || newer.get(cp);
                if (!wanted || Character.getType(cp) == Character.SURROGATE || (cp >= 0x40000 && cp < 0xE0000)
                        || (cp >= 0xF0100 && cp < 0x10FF00)) {
                    continue; // unassigned planes and most private use: nothing to learn there
                }
                String c = cp == '<' ? "<<" : new String(Character.toChars(cp)); // never "<s>" and the like
                String line = "a" + c + "1" + c + " " + c + "\n";
                lines.add(line);
                size += line.length();
                if (size > 100_000) {
                    compareSplits(rust, lines, mismatches);
                    lines.clear();
                    size = 0;
                }
            }
            compareSplits(rust, lines, mismatches);
        }
        assertTrue(mismatches.isEmpty(), () -> mismatches.size() + " differences, e.g. " + mismatches.subList(0,
                Math.min(20, mismatches.size())));
        // The stand-ins are used (on Java 17) and keep the text's length.
        String teluguNukta = "\u0C15\u0C3C\u0C3F";
        assertEquals(List.of(teluguNukta), PreTokenizer.split(teluguNukta));
    }

    private static java.util.BitSet ranges(String ranges) {
        java.util.BitSet set = new java.util.BitSet();
        for (String r : ranges.split(" ")) {
            String[] ends = r.split("-");
            set.set(Integer.parseInt(ends[0], 16), Integer.parseInt(ends[ends.length - 1], 16) + 1);
        }
        return set;
    }

    /** Compares the splits of the lines together, and line by line when they differ. */
    private static void compareSplits(HuggingFaceTokenizer rust, List<String> lines, List<String> mismatches) {
        if (!lines.isEmpty() && !sameSplit(rust, String.join("", lines))) {
            for (String line : lines) {
                if (!sameSplit(rust, line)) {
                    mismatches.add(line.codePoints().mapToObj(cp -> cp < 0x80 && cp > 0x20 ? String.valueOf((char) cp)
                            : String.format("<U+%04X>", cp)).collect(Collectors.joining()));
                }
            }
        }
    }

    private static boolean sameSplit(HuggingFaceTokenizer rust, String text) {
        long[] words = rust.encode(text, false, false).getWordIds();
        List<String> pieces = PreTokenizer.split(PreTokenizer.normalize(text));
        long[] expected = new long[pieces.stream().mapToInt(p -> p.getBytes(StandardCharsets.UTF_8).length).sum()];
        int k = 0;
        for (int p = 0; p < pieces.size(); p++) {
            int n = pieces.get(p).getBytes(StandardCharsets.UTF_8).length;
            for (int i = 0; i < n; i++) {
                expected[k++] = p;
            }
        }
        return Arrays.equals(expected, words);
    }

    private static List<String> mergeStrings(BpeModel m) {
        return m.merges().stream().map(p -> p[0] + " " + p[1]).collect(Collectors.toList());
    }
}
