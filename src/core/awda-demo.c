/* awda-demo.c: realistic, deterministic synthetic data for demonstrations and benchmarks
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything is drawn from GRand (Mersenne Twister, stable across GLib
 * versions) seeded from the demo seed and the site id, so that the same
 * seed on the same site gives the same records, ids included, while
 * another site draws other ids (62 random bits beside the case number,
 * from a stream of its own). Three streams keep the parts
 * independent: reference data, case rows and child records; the case
 * stream alone decides the case rows, which lets the benchmark replay them.
 *
 * Dates live in a fixed reference period (returns from 2019-01-01 to
 * 2026-10-31, the demo's "today"), so that a dump does not depend on the
 * day it was made; pending follow-ups may be scheduled up to 2027-03-31.
 */

#define G_LOG_DOMAIN "awda-demo"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <time.h>

#include "awda-demo-private.h"
#include "awda-demo.h"
#include "awda-store-private.h"

#define DEMO_PROGRESS_STEP 1000

/* Days since 1970-01-01 */
#define DAY_START        17897  /* 2019-01-01: the first return */
#define DAY_TODAY        20757  /* 2026-10-31: the last return, the demo's today */
#define DAY_SCHEDULE_END 20908  /* 2027-03-31: the latest follow-up scheduled */

/* The time part of the demo's v7-like ids: 2026-10-31T00:00:00Z, plus the
 * case number in milliseconds, so that rows append to the id indexes. */
#define DEMO_ID_EPOCH_MS G_GUINT64_CONSTANT (1793404800000)
#define DEMO_REF_EPOCH_MS (DEMO_ID_EPOCH_MS - G_GUINT64_CONSTANT (86400000))

#define NATIONAL_ID_RANGE G_GUINT64_CONSTANT (20000000)

enum { STREAM_REFERENCE = 1, STREAM_CASES = 2, STREAM_CHILDREN = 3 };

/* Names: Latin transcription as on Tunisian papers, Arabic script */

typedef struct
{
  const char *latin;
  const char *arabic;
} DemoName;

static const DemoName male_names[] = {
  { "Mohamed", "محمد" }, { "Ahmed", "أحمد" }, { "Ali", "علي" }, { "Mahmoud", "محمود" },
  { "Mustapha", "مصطفى" }, { "Youssef", "يوسف" }, { "Omar", "عمر" }, { "Hamza", "حمزة" },
  { "Oussama", "أسامة" }, { "Issa", "عيسى" }, { "Moussa", "موسى" }, { "Yahia", "يحيى" },
  { "Ibrahim", "إبراهيم" }, { "Ismail", "إسماعيل" }, { "Amine", "أمين" }, { "Anis", "أنيس" },
  { "Aymen", "أيمن" }, { "Adel", "عادل" }, { "Sami", "سامي" }, { "Karim", "كريم" },
  { "Khaled", "خالد" }, { "Walid", "وليد" }, { "Nabil", "نبيل" }, { "Hichem", "هشام" },
  { "Hatem", "حاتم" }, { "Hédi", "الهادي" }, { "Béchir", "البشير" }, { "Chédli", "الشاذلي" },
  { "Habib", "حبيب" }, { "Hassen", "حسن" }, { "Houssem", "حسام" }, { "Slim", "سليم" },
  { "Skander", "إسكندر" }, { "Seif", "سيف" }, { "Bilel", "بلال" }, { "Tarek", "طارق" },
  { "Riadh", "رياض" }, { "Ridha", "رضا" }, { "Fethi", "فتحي" }, { "Faouzi", "فوزي" },
  { "Mounir", "منير" }, { "Moez", "معز" }, { "Marouane", "مروان" }, { "Mehdi", "مهدي" },
  { "Najib", "نجيب" }, { "Nizar", "نزار" }, { "Rached", "راشد" }, { "Sofiane", "سفيان" },
  { "Zied", "زياد" }, { "Wassim", "وسيم" }, { "Yassine", "ياسين" }, { "Jamel", "جمال" },
  { "Kamel", "كمال" }, { "Lotfi", "لطفي" }, { "Mourad", "مراد" }, { "Noureddine", "نور الدين" },
  { "Abdallah", "عبد الله" }, { "Abdelkader", "عبد القادر" }, { "Abderrahmen", "عبد الرحمان" },
  { "Abdelaziz", "عبد العزيز" }, { "Taoufik", "توفيق" }, { "Chokri", "شكري" }, { "Raouf", "رؤوف" },
  { "Fares", "فارس" }, { "Ghassen", "غسان" }, { "Montassar", "منتصر" }, { "Mohamed Ali", "محمد علي" },
  { "Hamdi", "حمدي" }, { "Helmi", "حلمي" }, { "Imed", "عماد" }, { "Maher", "ماهر" },
  { "Sahbi", "الصحبي" }, { "Salah", "صالح" }, { "Sabri", "صبري" }, { "Tahar", "الطاهر" },
  { "Wajdi", "وجدي" }, { "Zouhaier", "زهير" }, { "Achraf", "أشرف" }, { "Aziz", "عزيز" },
  { "Badreddine", "بدر الدين" }, { "Elyes", "إلياس" }, { "Mortadha", "مرتضى" },
};

static const DemoName female_names[] = {
  { "Fatma", "فاطمة" }, { "Amna", "آمنة" }, { "Khadija", "خديجة" }, { "Aicha", "عائشة" },
  { "Mariem", "مريم" }, { "Imen", "إيمان" }, { "Asma", "أسماء" }, { "Houda", "هدى" },
  { "Mouna", "منى" }, { "Salma", "سلمى" }, { "Leila", "ليلى" }, { "Najwa", "نجوى" },
  { "Bochra", "بشرى" }, { "Nesrine", "نسرين" }, { "Sonia", "سونيا" }, { "Rym", "ريم" },
  { "Ines", "إيناس" }, { "Olfa", "ألفة" }, { "Héla", "هالة" }, { "Samia", "سامية" },
  { "Saida", "سعيدة" }, { "Zeineb", "زينب" }, { "Wafa", "وفاء" }, { "Hajer", "هاجر" },
  { "Yosra", "يسرى" }, { "Rania", "رانية" }, { "Sana", "سناء" }, { "Sihem", "سهام" },
  { "Nadia", "نادية" }, { "Naima", "نعيمة" }, { "Latifa", "لطيفة" }, { "Habiba", "حبيبة" },
  { "Hanen", "حنان" }, { "Jamila", "جميلة" }, { "Karima", "كريمة" }, { "Lamia", "لمياء" },
  { "Manel", "منال" }, { "Monia", "منية" }, { "Nour", "نور" }, { "Rahma", "رحمة" },
  { "Raja", "رجاء" }, { "Chaima", "شيماء" }, { "Dorra", "درة" }, { "Emna", "آمنة" },
  { "Faten", "فاتن" }, { "Ghada", "غادة" }, { "Hayet", "حياة" }, { "Ikram", "إكرام" },
  { "Insaf", "إنصاف" }, { "Jihène", "جيهان" }, { "Kaouther", "كوثر" }, { "Khaoula", "خولة" },
  { "Malek", "ملاك" }, { "Marwa", "مروى" }, { "Narjess", "نرجس" }, { "Nawel", "نوال" },
  { "Nejla", "نجلاء" }, { "Ons", "أنس" }, { "Rabeb", "رباب" }, { "Radhia", "راضية" },
  { "Saloua", "سلوى" }, { "Samira", "سميرة" }, { "Sarra", "سارة" }, { "Siwar", "سوار" },
  { "Souad", "سعاد" }, { "Wided", "وداد" }, { "Yasmine", "ياسمين" }, { "Zohra", "زهرة" },
  { "Afef", "عفاف" }, { "Amel", "أمل" }, { "Arij", "أريج" }, { "Besma", "بسمة" },
  { "Chiraz", "شيراز" }, { "Dalila", "دليلة" }, { "Eya", "آية" }, { "Fadoua", "فدوى" },
  { "Hend", "هند" }, { "Lobna", "لبنى" }, { "Maha", "مها" }, { "Mabrouka", "مبروكة" },
  { "Neziha", "نزيهة" }, { "Ahlem", "أحلام" }, { "Rokaya", "رقية" },
};

static const DemoName family_names[] = {
  { "Ben Salah", "بن صالح" }, { "Trabelsi", "الطرابلسي" }, { "Ben Ali", "بن علي" }, { "Jebali", "الجبالي" },
  { "Mejri", "الماجري" }, { "Gharbi", "الغربي" }, { "Hammami", "الحمامي" }, { "Ayari", "العياري" },
  { "Dridi", "الدريدي" }, { "Sassi", "الساسي" }, { "Bouazizi", "البوعزيزي" }, { "Jendoubi", "الجندوبي" },
  { "Riahi", "الرياحي" }, { "Chaabane", "شعبان" }, { "Khelifi", "الخليفي" }, { "Mansouri", "المنصوري" },
  { "Ben Ammar", "بن عمار" }, { "Ben Youssef", "بن يوسف" }, { "Ben Mahmoud", "بن محمود" }, { "Ben Hassine", "بن حسين" },
  { "Ben Amor", "بن عمر" }, { "Ben Othman", "بن عثمان" }, { "Ben Mansour", "بن منصور" }, { "Ben Brahim", "بن إبراهيم" },
  { "Ben Aissa", "بن عيسى" }, { "Ben Moussa", "بن موسى" }, { "Ben Yahia", "بن يحيى" }, { "Ben Mustapha", "بن مصطفى" },
  { "Ben Romdhane", "بن رمضان" }, { "Ben Abdallah", "بن عبد الله" }, { "Ben Hamida", "بن حميدة" }, { "Ben Khalifa", "بن خليفة" },
  { "Ben Nasr", "بن نصر" }, { "Ben Said", "بن سعيد" }, { "Ben Slimane", "بن سليمان" }, { "Ben Jemaa", "بن جمعة" },
  { "Ben Fredj", "بن فرج" }, { "Ben Ahmed", "بن أحمد" }, { "Ben Achour", "بن عاشور" }, { "Ben Arfa", "بن عرفة" },
  { "Ben Naceur", "بن ناصر" }, { "Ben Aziza", "بن عزيزة" }, { "Ben Hadj Ali", "بن الحاج علي" }, { "Bouzid", "بوزيد" },
  { "Chebbi", "الشابي" }, { "Tlili", "التليلي" }, { "Zouari", "الزواري" }, { "Zitouni", "الزيتوني" },
  { "Kefi", "الكافي" }, { "Kammoun", "كمّون" }, { "Karray", "الكراي" }, { "Masmoudi", "المصمودي" },
  { "Sellami", "السلامي" }, { "Mabrouk", "مبروك" }, { "Miladi", "الميلادي" }, { "Nasri", "النصري" },
  { "Oueslati", "الوسلاتي" }, { "Saidi", "السعيدي" }, { "Sghaier", "الصغير" }, { "Snoussi", "السنوسي" },
  { "Souissi", "السويسي" }, { "Tounsi", "التونسي" }, { "Jlassi", "الجلاصي" }, { "Jouini", "الجويني" },
  { "Hamdi", "الحمدي" }, { "Hajji", "الحاجي" }, { "Haddad", "الحداد" }, { "Guesmi", "القاسمي" },
  { "Ferchichi", "الفرشيشي" }, { "Fourati", "الفوراتي" }, { "Ellouze", "اللوز" }, { "Derbali", "الدربالي" },
  { "Daoud", "داود" }, { "Chtioui", "الشتيوي" }, { "Chérif", "الشريف" }, { "Belhadj", "بالحاج" },
  { "Belkhiria", "بلخيرية" }, { "Baccouche", "بكوش" }, { "Bouslama", "بوسلامة" }, { "Bouhlel", "بوهلال" },
  { "Boughanmi", "البوغانمي" }, { "Brahmi", "البراهمي" }, { "Abidi", "العبيدي" }, { "Amri", "العامري" },
  { "Arfaoui", "العرفاوي" }, { "Azzouz", "عزوز" }, { "Baccar", "بكار" }, { "Dhaouadi", "الذوادي" },
  { "Ghannouchi", "الغنوشي" }, { "Hachicha", "حشيشة" }, { "Hamrouni", "الحمروني" }, { "Harbi", "الحربي" },
  { "Hasni", "الحسني" }, { "Jaziri", "الجزيري" }, { "Kacem", "قاسم" }, { "Khemiri", "الخميري" },
  { "Ksouri", "القصوري" }, { "Lahmar", "الأحمر" }, { "Louati", "اللواتي" }, { "Mahjoub", "محجوب" },
  { "Marzouki", "المرزوقي" }, { "Mathlouthi", "المثلوثي" }, { "Msakni", "المساكني" }, { "Nefzi", "النفزي" },
  { "Ouni", "العوني" }, { "Rezgui", "الرزقي" }, { "Rekik", "الرقيق" }, { "Saadi", "السعدي" },
  { "Sahli", "الساحلي" }, { "Slimani", "السليماني" }, { "Smaoui", "السماوي" }, { "Tabib", "الطبيب" },
  { "Toumi", "التومي" }, { "Yahyaoui", "اليحياوي" }, { "Zaghdoudi", "الزغدودي" }, { "Zribi", "الزريبي" },
  { "Baklouti", "البكلوتي" }, { "Charfi", "الشرفي" }, { "Ghorbel", "غربال" }, { "Hammouda", "حمودة" },
  { "Guizani", "القيزاني" }, { "Maaloul", "المعلول" }, { "Ayadi", "العيادي" }, { "Mzoughi", "المزوغي" },
  { "Bouaziz", "بوعزيز" }, { "Essid", "الصيد" }, { "Mokni", "المكني" }, { "Ouertani", "الورتاني" },
  { "Chaouch", "الشاوش" }, { "Abdelli", "العبدلي" }, { "Akrout", "عكروت" }, { "Gafsi", "القفصي" },
  { "Mejdoub", "المجدوب" }, { "Jaouadi", "الجوادي" }, { "Ghodhbane", "غضبان" }, { "Lassoued", "الأسود" },
};

/* The 24 governorates, weighted by population (2014 census, thousands) */

typedef struct
{
  const char *code;
  const char *city;      /* the seat, for offices and addresses */
  guint       weight;
  guint       postcode;
} DemoGovernorate;

static const DemoGovernorate governorates[] = {
  { "TN-11", "Tunis", 1056, 1000 }, { "TN-12", "Ariana", 576, 2080 },
  { "TN-13", "Ben Arous", 632, 2013 }, { "TN-14", "La Manouba", 379, 2010 },
  { "TN-21", "Nabeul", 788, 8000 }, { "TN-22", "Zaghouan", 177, 1100 },
  { "TN-23", "Bizerte", 569, 7000 }, { "TN-31", "Béja", 303, 9000 },
  { "TN-32", "Jendouba", 401, 8100 }, { "TN-33", "Le Kef", 243, 7100 },
  { "TN-34", "Siliana", 224, 6100 }, { "TN-41", "Kairouan", 571, 3100 },
  { "TN-42", "Kasserine", 440, 1200 }, { "TN-43", "Sidi Bouzid", 430, 9100 },
  { "TN-51", "Sousse", 675, 4000 }, { "TN-52", "Monastir", 548, 5000 },
  { "TN-53", "Mahdia", 410, 5100 }, { "TN-61", "Sfax", 955, 3000 },
  { "TN-71", "Gafsa", 337, 2100 }, { "TN-72", "Tozeur", 108, 2200 },
  { "TN-73", "Kébili", 156, 4200 }, { "TN-81", "Gabès", 374, 6000 },
  { "TN-82", "Médenine", 479, 4100 }, { "TN-83", "Tataouine", 149, 3200 },
};

#define N_GOV G_N_ELEMENTS (governorates)
#define CENTRAL N_GOV  /* the central platform's slot in per-office tables */
#define N_OFFICES (N_GOV + 1)

/* Programmes */

enum
{
  P_OFII, P_GIZ, P_ICMPD, P_FEDASIL, P_SEM, P_IOM_ITALY, P_IOM_NETHERLANDS, P_IOM, P_NATIONAL,
  N_PROGRAMMES,
  NO_PROGRAMME = 255
};

typedef struct
{
  const char *name;
  const char *donor;
  const char *currency;
  const char *ceiling;
} DemoProgramme;

static const DemoProgramme programmes[N_PROGRAMMES] = {
  { "OFII — Aide à la réinsertion", "Office français de l’immigration et de l’intégration", "EUR", "4000" },
  { "GIZ — Programme Retour, Migration et Développement", "Deutsche Gesellschaft für Internationale Zusammenarbeit", "EUR", "3000" },
  { "ICMPD — Programme de réintégration", "International Centre for Migration Policy Development", "EUR", "2500" },
  { "Fedasil — Programme de retour volontaire", "Fedasil (Belgique)", "EUR", "2200" },
  { "SEM — Aide au retour et à la réintégration", "Secrétariat d’État aux migrations (Suisse)", "CHF", "4000" },
  { "IOM AVRR — Italie", "Ministero dell’Interno (Italia) / OIM", "EUR", "3000" },
  { "IOM AVRR — Pays-Bas", "Ministerie van Justitie en Veiligheid / OIM", "EUR", "2500" },
  { "IOM AVRR", "Organisation internationale pour les migrations", "EUR", "2000" },
  { "Programme national de réinsertion des migrants de retour", "État tunisien", "TND", "8000" },
};

/* Host countries: mostly France, Italy, Germany, Belgium, Switzerland */

typedef struct
{
  const char *code;
  guint       weight;
  guint8      programme;  /* for an assisted voluntary return */
} DemoHost;

static const DemoHost hosts[] = {
  { "FR", 380, P_OFII }, { "IT", 200, P_IOM_ITALY }, { "DE", 140, P_GIZ },
  { "BE", 60, P_FEDASIL }, { "CH", 60, P_SEM }, { "LY", 30, P_IOM },
  { "NL", 20, P_IOM_NETHERLANDS }, { "CA", 15, P_IOM }, { "ES", 15, P_IOM_ITALY },
  { "SA", 15, P_IOM }, { "QA", 12, P_IOM }, { "AE", 12, P_IOM }, { "AT", 10, P_ICMPD },
  { "SE", 6, P_ICMPD }, { "GB", 6, P_IOM }, { "MT", 5, P_ICMPD }, { "TR", 4, P_IOM },
  { "US", 3, P_IOM }, { "LU", 3, P_FEDASIL }, { "DZ", 3, P_IOM },
};

/* Partners */

enum
{
  PA_ANETI, PA_BTS, PA_ATFP, PA_ONFP, PA_CNSS, PA_CNAM, PA_APII, PA_OTE, PA_CRE,
  PA_CRT, PA_FTDES, PA_TERRE_ASILE, PA_UTSS, PA_AMAL, PA_ENDA, PA_MDM,
  N_PARTNERS
};

typedef struct
{
  const char *name;
  const char *kind;
  const char *service;   /* the one a referral asks for */
  const char *services;  /* what the partner offers */
  const char *phone;
} DemoPartner;

static const DemoPartner partners[N_PARTNERS] = {
  { "ANETI — Agence nationale pour l’emploi et le travail indépendant", "institutional",
    "Accompagnement à l’emploi", "Accompagnement à l’emploi\nPlacement\nAppui à l’initiative privée", "+216 71 781 000" },
  { "BTS — Banque tunisienne de solidarité", "institutional",
    "Microcrédit", "Microcrédit\nFinancement de petits projets", "+216 71 844 040" },
  { "ATFP — Agence tunisienne de la formation professionnelle", "institutional",
    "Formation professionnelle", "Formation professionnelle qualifiante\nApprentissage", "+216 71 832 366" },
  { "ONFP — Office national de la famille et de la population", "institutional",
    "Santé reproductive", "Santé reproductive\nSoutien psychologique", "+216 71 341 088" },
  { "CNSS — Caisse nationale de sécurité sociale", "institutional",
    "Affiliation sociale", "Affiliation\nPrestations familiales", "+216 71 796 744" },
  { "CNAM — Caisse nationale d’assurance maladie", "institutional",
    "Couverture maladie", "Couverture maladie\nPrise en charge des soins", "+216 71 288 500" },
  { "APII — Agence de promotion de l’industrie et de l’innovation", "institutional",
    "Création d’entreprise", "Guichet unique de création d’entreprise\nConseil aux promoteurs", "+216 71 792 144" },
  { "OTE — Office des Tunisiens à l’étranger", "institutional",
    "Accompagnement administratif", "Accompagnement administratif\nAssistance sociale", "+216 71 906 600" },
  { "Commissariat régional de l’éducation", "institutional",
    "Réinscription scolaire", "Inscription et réinscription scolaire", "+216 71 560 400" },
  { "Croissant-Rouge tunisien", "civil_society",
    "Soutien psychosocial", "Soutien psychosocial\nAide d’urgence", "+216 71 320 630" },
  { "FTDES — Forum tunisien pour les droits économiques et sociaux", "civil_society",
    "Écoute et orientation", "Écoute et orientation\nPlaidoyer", "+216 71 257 664" },
  { "Terre d’Asile Tunisie", "civil_society",
    "Information juridique", "Information juridique\nAccompagnement social", "+216 71 240 920" },
  { "UTSS — Union tunisienne de solidarité sociale", "civil_society",
    "Aide au logement", "Aide au logement\nAides ponctuelles", "+216 71 562 300" },
  { "Association Amal pour la famille et l’enfant", "civil_society",
    "Soutien aux familles", "Soutien aux familles monoparentales\nGarde d’enfants", "+216 71 890 212" },
  { "Enda Tamweel", "private",
    "Microfinance", "Microfinance\nFormation à la gestion", "+216 71 286 290" },
  { "Médecins du Monde Belgique", "international",
    "Prise en charge médicale", "Prise en charge médicale\nSanté mentale", "+216 71 750 800" },
};

/* Plan item kinds, as the dictionary names them */

enum
{
  K_BUSINESS, K_TRAINING, K_JOB, K_HOUSING, K_HEALTH, K_PSYCHOSOCIAL, K_SCHOOLING, K_DOCUMENTS, K_CASH,
  N_KINDS
};

typedef struct
{
  const char *kind;
  const char *dimension;
  guint8      providers[3];   /* partners; the count is n_providers */
  guint8      n_providers;
  guint8      share_min;      /* percent of the programme's ceiling */
  guint8      share_max;
  guint       weight;         /* how often it is planned */
} DemoPlanKind;

static const DemoPlanKind plan_kinds[N_KINDS] = {
  { "business_creation", "economic", { PA_BTS, PA_APII, PA_ENDA }, 3, 40, 100, 34 },
  { "vocational_training", "economic", { PA_ATFP, PA_ANETI }, 2, 10, 35, 20 },
  { "job_placement", "economic", { PA_ANETI }, 1, 0, 10, 12 },
  { "housing", "social", { PA_UTSS, PA_OTE }, 2, 10, 30, 6 },
  { "health", "social", { PA_CNAM, PA_MDM, PA_ONFP }, 3, 5, 25, 7 },
  { "psychosocial_support", "psychosocial", { PA_CRT, PA_FTDES, PA_MDM }, 3, 0, 15, 9 },
  { "schooling", "social", { PA_CRE, PA_AMAL }, 2, 5, 15, 4 },
  { "documents_legal", "social", { PA_OTE, PA_TERRE_ASILE }, 2, 0, 5, 4 },
  { "cash", "economic", { PA_CRT, PA_UTSS }, 2, 5, 20, 4 },
};

static const char *business_activities[] = {
  "épicerie de quartier", "atelier de couture", "élevage ovin", "salon de coiffure",
  "atelier de menuiserie", "café", "réparation automobile", "boulangerie", "apiculture",
  "serre maraîchère", "kiosque multiservices", "taxi collectif", "atelier de soudure",
  "vente de pièces détachées", "pâtisserie traditionnelle",
};

static const char *training_trades[] = {
  "soudure", "électricité du bâtiment", "cuisine", "informatique", "couture", "plomberie",
  "mécanique automobile", "froid et climatisation", "carrelage", "aide-soignant",
};

static const char *kind_descriptions[N_KINDS] = {
  NULL,  /* business: from business_activities */
  NULL,  /* training: from training_trades */
  "Placement en emploi salarié avec l’appui du bureau de l’emploi",
  "Aide au loyer pendant six mois",
  "Prise en charge des soins et des médicaments",
  "Séances de soutien psychosocial individuelles",
  "Réinscription scolaire des enfants et fournitures",
  "Renouvellement de la carte d’identité et des documents d’état civil",
  "Aide financière d’urgence à l’arrivée",
};

/* The case's own vocabulary */

typedef struct
{
  const char *occupation;
  const char *skills;
} DemoOccupation;

static const DemoOccupation occupations[] = {
  { "Maçon", "Maçonnerie, coffrage, lecture de plans simples" },
  { "Ouvrier agricole", "Cueillette, taille, conduite de tracteur" },
  { "Cuisinier", "Cuisine collective, hygiène alimentaire" },
  { "Serveur", "Service en salle, accueil de la clientèle, italien parlé" },
  { "Chauffeur", "Permis poids lourd, livraison" },
  { "Mécanicien", "Mécanique automobile, diagnostic électronique" },
  { "Électricien", "Installation électrique du bâtiment" },
  { "Plombier", "Plomberie sanitaire, chauffage" },
  { "Coiffeur", "Coiffure homme, barbier" },
  { "Couturière", "Couture, retouches, machine industrielle" },
  { "Aide-soignante", "Soins d’hygiène, accompagnement des personnes âgées" },
  { "Vendeur", "Vente, caisse, gestion de stock" },
  { "Menuisier", "Menuiserie bois et aluminium" },
  { "Soudeur", "Soudure à l’arc et TIG" },
  { "Peintre en bâtiment", "Peinture, enduits, plâtrerie" },
  { "Carreleur", "Carrelage, faïence" },
  { "Boulanger", "Boulangerie, viennoiserie" },
  { "Agent de nettoyage", "Nettoyage industriel" },
  { "Manutentionnaire", "Cariste, préparation de commandes" },
  { "Livreur", "Livraison à deux-roues, connaissance de la ville" },
  { "Technicien informatique", "Maintenance informatique, réseaux" },
  { "Étudiant", "Langues étrangères, bureautique" },
  { "Pêcheur", "Pêche côtière, entretien des filets" },
  { "Commerçant", "Commerce de détail, gestion" },
  { "Gardien", "Surveillance, sécurité incendie" },
  { "Sans emploi", "Bureautique de base" },
};

static const char *streets[] = {
  "avenue Habib Bourguiba", "rue de la République", "rue Ibn Khaldoun", "avenue de la Liberté",
  "rue Farhat Hached", "cité Ennour", "cité El Intilaka", "rue Ali Belhouane", "rue Tahar Haddad",
  "rue de Palestine", "route de Tunis", "rue Hédi Chaker", "cité Ezzouhour", "rue d’Alger",
  "avenue du 7 Novembre", "rue Abou El Kacem Chebbi", "cité El Amal", "rue de Marseille",
};

static const char *vuln_other_texts[] = {
  "Sans logement à l’arrivée",
  "Victime présumée de traite, orientée vers l’INLTP",
  "Rupture familiale",
  "Addiction déclarée, suivi proposé",
};

static const char *screening_notes[] = {
  "Aucune vulnérabilité particulière relevée.",
  "Situation familiale fragile, suivi rapproché conseillé.",
  "Besoins médicaux à vérifier auprès de la CNAM.",
  "Dettes contractées pour le départ, pression de la famille.",
  "Bon réseau familial, motivation élevée.",
};

static const char *follow_up_notes[] = {
  "Projet en bonne voie, premières ventes.",
  "Formation suivie régulièrement.",
  "Difficultés d’approvisionnement, conseil donné.",
  "Le bénéficiaire cherche encore un local.",
  "Situation stable, revenus réguliers.",
  "Injoignable au premier appel, rappelé le lendemain.",
  "Besoin d’un complément de formation en gestion.",
  "Famille rencontrée à domicile, enfants scolarisés.",
};

static const char *referral_done_outcomes[] = {
  "Service rendu, attestation remise.",
  "Formation terminée avec certificat.",
  "Microcrédit accordé.",
  "Prise en charge effective.",
  "Inscription réalisée.",
};

static const char *referral_rejected_outcomes[] = {
  "Dossier incomplet, pièces demandées.",
  "Critères d’éligibilité non remplis.",
  "Plus de places disponibles cette session.",
};

/* Stages */

enum
{
  S_RECEPTION, S_ASSESSMENT, S_PLAN, S_IMPLEMENTATION, S_MONITORING, S_CLOSED,
  N_STAGES
};

static const char *stage_names[N_STAGES] = {
  "reception", "assessment", "plan", "implementation", "monitoring", "closed",
};

/* More cases in the early stages. */
static const guint stage_weights[N_STAGES] = { 22, 20, 17, 15, 13, 13 };
/* How strongly the return date leans to the recent end, per stage. */
static const guint stage_recency[N_STAGES] = { 6, 5, 4, 3, 2, 1 };

typedef struct
{
  const char *reason;
  guint       weight;
  gboolean    completed;  /* the course was run to its end */
} DemoClosure;

static const DemoClosure closures[] = {
  { "plan_completed", 35, TRUE }, { "reintegrated", 25, TRUE }, { "remigrated", 10, FALSE },
  { "unreachable", 12, FALSE }, { "withdrew", 8, FALSE }, { "transferred", 5, FALSE },
  { "deceased", 1, FALSE }, { "other", 4, FALSE },
};

/* Case fields the demo fills, by their dictionary names */

enum
{
  CF_GIVEN_NAME, CF_FAMILY_NAME, CF_GIVEN_NAME_AR, CF_FAMILY_NAME_AR, CF_SEX, CF_BIRTH_DATE,
  CF_NATIONAL_ID, CF_PHONE, CF_ADDRESS, CF_GOVERNORATE, CF_HOST_COUNTRY, CF_DEPARTURE_YEAR,
  CF_RETURN_DATE, CF_RETURN_TYPE, CF_RETURN_PROGRAMME, CF_EDUCATION, CF_OCCUPATION, CF_SKILLS,
  CF_MARITAL_STATUS, CF_HOUSEHOLD_SIZE, CF_VULN_MEDICAL, CF_VULN_PSYCHOLOGICAL, CF_VULN_DISABILITY,
  CF_VULN_SINGLE_PARENT, CF_VULN_UNACCOMPANIED_MINOR, CF_VULN_DEBT, CF_VULN_OTHER,
  CF_CONSENT_GIVEN_ON, CF_CONSENT_SCOPE, CF_OWNER_OFFICE, CF_CASEWORKER, CF_STATUS, CF_PRIORITY,
  CF_OPENED_ON, CF_CLOSED_ON, CF_CLOSURE_REASON,
  N_CF
};

static const char *case_field_names[N_CF] = {
  "given_name", "family_name", "given_name_ar", "family_name_ar", "sex", "birth_date",
  "national_id", "phone", "address", "governorate", "host_country", "departure_year",
  "return_date", "return_type", "return_programme", "education", "occupation", "skills",
  "marital_status", "household_size", "vuln_medical", "vuln_psychological", "vuln_disability",
  "vuln_single_parent", "vuln_unaccompanied_minor", "vuln_debt", "vuln_other",
  "consent_given_on", "consent_scope", "owner_office", "caseworker", "status", "priority",
  "opened_on", "closed_on", "closure_reason",
};

enum { M_SINGLE, M_MARRIED, M_DIVORCED, M_WIDOWED };
static const char *marital_names[] = { "single", "married", "divorced", "widowed" };

/* What the child records need to know of their case */
typedef struct
{
  char    id[37];
  guint8  stage;
  guint8  reached;     /* the furthest working stage; for a closed case, before closure */
  guint8  male;
  guint8  gov;
  guint8  marital;
  guint8  n_members;
  guint8  programme;   /* NO_PROGRAMME when none */
  guint8  vulnerable;
  guint16 family;
  guint16 caseworker;
  guint64 number;      /* the case's number: the time part of its children's ids */
  gint32  birth;
  gint32  opened;
  gint32  assessed;    /* the day each stage began, 0 when not reached */
  gint32  planned;
  gint32  implemented;
  gint32  monitored;
  gint32  closed;
} DemoCase;

/* Reference data: what exists, by governorate (CENTRAL for the platform) */
typedef struct
{
  char      *office[N_OFFICES];
  GPtrArray *caseworkers[N_OFFICES];
  GPtrArray *supervisors[N_OFFICES];
  GPtrArray *field_officers[N_OFFICES];
  GPtrArray *central_staff[N_OFFICES];
  char      *programme[N_PROGRAMMES];
  char      *programme_currency[N_PROGRAMMES];
  gint64     programme_ceiling[N_PROGRAMMES];  /* whole units */
  char      *partner[N_PARTNERS];
} DemoRefs;

#define CF_BUFSIZE 192

struct _AwdaDemoCases
{
  const AwdaEntity *entity;
  int               field_index[N_CF];  /* in the dictionary's case fields */
  DemoRefs          refs;
  GRand            *rand;
  guint64           number;             /* the next case's number */
  guint64           id_offset;          /* national ID numbers: a permutation, per site */
  const char       *values[N_CF];
  char              buf[N_CF][CF_BUFSIZE];
  DemoCase          current;
};

/* Small helpers */

static inline guint
rnd (GRand *r,
     guint  n)
{
  return n <= 1 ? 0 : (guint) g_rand_int_range (r, 0, (gint32) n);
}

/* A whole number from @lo to @hi, both included. */
static inline gint32
rnd_between (GRand  *r,
             gint32  lo,
             gint32  hi)
{
  return hi <= lo ? lo : g_rand_int_range (r, lo, hi + 1);
}

static inline gboolean
chance (GRand *r,
        guint  percent)
{
  return rnd (r, 100) < percent;
}

static guint
pick_weighted (GRand       *r,
               const guint *weights,
               guint        n)
{
  guint total = 0, x;

  for (guint i = 0; i < n; i++)
    total += weights[i];
  x = rnd (r, total);
  for (guint i = 0; i < n; i++)
    {
      if (x < weights[i])
        return i;
      x -= weights[i];
    }
  return n - 1;
}

#define PICK(r, array) ((array)[rnd ((r), G_N_ELEMENTS (array))])

/* Names are not equally common: the tables start with the most frequent,
 * and Mohamed or Fatma come up about one time in nine. */
static guint
pick_given (GRand *r,
            guint  n)
{
  double u = g_rand_double (r);

  return MIN ((guint) (n * u * u), n - 1);
}

static guint
pick_family (GRand *r,
             guint  n)
{
  double u = g_rand_double (r);

  return MIN ((guint) (n * u * (1 + u) / 2), n - 1);
}

#define PICK_GIVEN(r, male) \
  ((male) ? &male_names[pick_given ((r), G_N_ELEMENTS (male_names))] \
          : &female_names[pick_given ((r), G_N_ELEMENTS (female_names))])
#define PICK_FAMILY(r) (&family_names[pick_family ((r), G_N_ELEMENTS (family_names))])

static void
civil_from_days (gint32  z,
                 int    *year,
                 int    *month,
                 int    *day)
{
  int era, y;
  unsigned doe, yoe, doy, mp;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = (unsigned) (z - era * 146097);
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = (int) yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *day = (int) (doy - (153 * mp + 2) / 5 + 1);
  *month = (int) (mp < 10 ? mp + 3 : mp - 9);
  *year = y + (*month <= 2);
}

static int
year_of_day (gint32 z)
{
  int y, m, d;

  civil_from_days (z, &y, &m, &d);
  return y;
}

static void
put_digits (char     *out,
            unsigned  value,
            int       n)
{
  for (int i = n - 1; i >= 0; i--)
    {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
}

/* Writes YYYY-MM-DD and its terminating nul into @out. */
static const char *
format_day (char   *out,
            gint32  z)
{
  int y, m, d;

  civil_from_days (z, &y, &m, &d);
  put_digits (out, (unsigned) y, 4);
  out[4] = '-';
  put_digits (out + 5, (unsigned) m, 2);
  out[7] = '-';
  put_digits (out + 8, (unsigned) d, 2);
  out[10] = '\0';
  return out;
}

static const char *
format_uint (char    *out,
             guint64  value)
{
  char tmp[24];
  int n = 0;

  do
    {
      tmp[n++] = (char) ('0' + value % 10);
      value /= 10;
    }
  while (value > 0);
  for (int i = 0; i < n; i++)
    out[i] = tmp[n - 1 - i];
  out[n] = '\0';
  return out;
}

/* A v7-like UUID: @ms as the time, @seq in the 12 bits after the version,
 * 62 bits from @r. Deterministic, and in creation order. */
static const char *
format_uuid (char     out[37],
             guint64  ms,
             guint    seq,
             GRand   *r)
{
  static const char hex[] = "0123456789abcdef";
  guint8 b[16];
  guint32 x = g_rand_int (r), y = g_rand_int (r);
  int k = 0;

  for (int i = 0; i < 6; i++)
    b[i] = (guint8) (ms >> (40 - 8 * i));
  b[6] = (guint8) (0x70 | ((seq >> 8) & 0x0f));
  b[7] = (guint8) (seq & 0xff);
  b[8] = (guint8) (0x80 | ((x >> 24) & 0x3f));
  b[9] = (guint8) (x >> 16);
  b[10] = (guint8) (x >> 8);
  b[11] = (guint8) x;
  b[12] = (guint8) (y >> 24);
  b[13] = (guint8) (y >> 16);
  b[14] = (guint8) (y >> 8);
  b[15] = (guint8) y;

  for (int i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        out[k++] = '-';
      out[k++] = hex[b[i] >> 4];
      out[k++] = hex[b[i] & 0x0f];
    }
  out[k] = '\0';
  return out;
}

/* Each stream is seeded from the demo seed, the site id, the run's first
 * case number and the stream's tag. */
static GRand *
stream_new (const char *site_id,
            guint64     seed,
            guint64     first,
            guint32     tag)
{
  guint32 words[9] = { 0 };

  words[0] = (guint32) seed;
  words[1] = (guint32) (seed >> 32);
  words[2] = (guint32) first;
  words[3] = (guint32) (first >> 32);
  words[4] = tag;
  /* The site id is 32 hex digits: 128 bits, four words. */
  for (guint i = 0; site_id != NULL && site_id[i] != '\0' && i < 32; i++)
    words[5 + i / 8] = (words[5 + i / 8] << 4) | (guint32) g_ascii_xdigit_value (site_id[i]);

  return g_rand_new_with_seed_array (words, G_N_ELEMENTS (words));
}

static guint
governorate_index (const char *code)
{
  for (guint i = 0; code != NULL && i < N_GOV; i++)
    if (strcmp (governorates[i].code, code) == 0)
      return i;
  return G_MAXUINT;
}

static void
set_if (AwdaEdit   *edit,
        const char *field,
        const char *value)
{
  if (value != NULL)
    awda_edit_set (edit, field, value);
}

/* Reference data */

static void
demo_refs_init (DemoRefs *refs)
{
  memset (refs, 0, sizeof *refs);
  for (guint i = 0; i < N_OFFICES; i++)
    {
      refs->caseworkers[i] = g_ptr_array_new_with_free_func (g_free);
      refs->supervisors[i] = g_ptr_array_new_with_free_func (g_free);
      refs->field_officers[i] = g_ptr_array_new_with_free_func (g_free);
      refs->central_staff[i] = g_ptr_array_new_with_free_func (g_free);
    }
}

static void
demo_refs_clear (DemoRefs *refs)
{
  for (guint i = 0; i < N_OFFICES; i++)
    {
      g_free (refs->office[i]);
      g_clear_pointer (&refs->caseworkers[i], g_ptr_array_unref);
      g_clear_pointer (&refs->supervisors[i], g_ptr_array_unref);
      g_clear_pointer (&refs->field_officers[i], g_ptr_array_unref);
      g_clear_pointer (&refs->central_staff[i], g_ptr_array_unref);
    }
  for (guint i = 0; i < N_PROGRAMMES; i++)
    {
      g_free (refs->programme[i]);
      g_free (refs->programme_currency[i]);
    }
  for (guint i = 0; i < N_PARTNERS; i++)
    g_free (refs->partner[i]);
  memset (refs, 0, sizeof *refs);
}

static GPtrArray *
staff_list (DemoRefs   *refs,
            guint       office,
            const char *role)
{
  if (g_strcmp0 (role, "caseworker") == 0)
    return refs->caseworkers[office];
  if (g_strcmp0 (role, "supervisor") == 0)
    return refs->supervisors[office];
  if (g_strcmp0 (role, "field_officer") == 0)
    return refs->field_officers[office];
  if (g_strcmp0 (role, "central_staff") == 0)
    return refs->central_staff[office];
  return NULL;
}

/* Keeps the smallest id, so that the choice does not depend on row order. */
static void
keep_smallest (char       **slot,
               const char  *id)
{
  if (*slot == NULL || strcmp (id, *slot) < 0)
    {
      g_free (*slot);
      *slot = g_strdup (id);
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
record_is_inactive (const AwdaRecord *record)
{
  return record->deleted || g_strcmp0 (awda_record_get (record, "active"), "false") == 0;
}

/* Reads the reference data that exists. */
static gboolean
demo_refs_load (DemoRefs   *refs,
                AwdaStore  *store,
                GError    **error)
{
  g_autoptr(GPtrArray) offices = NULL;
  g_autoptr(GPtrArray) staff = NULL;
  g_autoptr(GPtrArray) progs = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GHashTable) office_slot = g_hash_table_new (g_str_hash, g_str_equal);

  offices = awda_store_list_records (store, "office", error);
  if (offices == NULL)
    return FALSE;
  for (guint i = 0; i < offices->len; i++)
    {
      const AwdaRecord *r = g_ptr_array_index (offices, i);
      const char *kind = awda_record_get (r, "kind");
      guint gov = governorate_index (awda_record_get (r, "governorate"));

      if (r->deleted)
        continue;
      if (g_strcmp0 (kind, "central") == 0)
        keep_smallest (&refs->office[CENTRAL], r->id);
      else if (g_strcmp0 (kind, "regional") == 0 && gov < N_GOV)
        keep_smallest (&refs->office[gov], r->id);
    }
  for (guint i = 0; i < N_OFFICES; i++)
    if (refs->office[i] != NULL)
      g_hash_table_insert (office_slot, refs->office[i], GUINT_TO_POINTER (i + 1));

  staff = awda_store_list_records (store, "staff", error);
  if (staff == NULL)
    return FALSE;
  for (guint i = 0; i < staff->len; i++)
    {
      const AwdaRecord *r = g_ptr_array_index (staff, i);
      const char *office = awda_record_get (r, "office");
      guint slot = office ? GPOINTER_TO_UINT (g_hash_table_lookup (office_slot, office)) : 0;
      GPtrArray *list;

      if (slot == 0 || record_is_inactive (r))
        continue;
      list = staff_list (refs, slot - 1, awda_record_get (r, "role"));
      if (list != NULL)
        g_ptr_array_add (list, g_strdup (r->id));
    }
  for (guint i = 0; i < N_OFFICES; i++)
    {
      g_ptr_array_sort (refs->caseworkers[i], compare_strings);
      g_ptr_array_sort (refs->supervisors[i], compare_strings);
      g_ptr_array_sort (refs->field_officers[i], compare_strings);
      g_ptr_array_sort (refs->central_staff[i], compare_strings);
    }

  progs = awda_store_list_records (store, "programme", error);
  if (progs == NULL)
    return FALSE;
  for (guint i = 0; i < progs->len; i++)
    {
      const AwdaRecord *r = g_ptr_array_index (progs, i);
      const char *name = awda_record_get (r, "name");

      if (r->deleted)
        continue;
      for (guint p = 0; p < N_PROGRAMMES; p++)
        if (g_strcmp0 (name, programmes[p].name) == 0 &&
            (refs->programme[p] == NULL || strcmp (r->id, refs->programme[p]) < 0))
          {
            const char *currency = awda_record_get (r, "currency");
            const char *ceiling = awda_record_get (r, "ceiling");
            gint64 thousandths = 0;

            g_free (refs->programme[p]);
            g_free (refs->programme_currency[p]);
            refs->programme[p] = g_strdup (r->id);
            refs->programme_currency[p] = g_strdup (currency ? currency : programmes[p].currency);
            if (ceiling == NULL || !awda_amount_parse (ceiling, &thousandths) || thousandths < 1000)
              awda_amount_parse (programmes[p].ceiling, &thousandths);
            refs->programme_ceiling[p] = thousandths / 1000;
          }
    }

  parts = awda_store_list_records (store, "partner", error);
  if (parts == NULL)
    return FALSE;
  for (guint i = 0; i < parts->len; i++)
    {
      const AwdaRecord *r = g_ptr_array_index (parts, i);
      const char *name = awda_record_get (r, "name");

      if (r->deleted)
        continue;
      for (guint p = 0; p < N_PARTNERS; p++)
        if (g_strcmp0 (name, partners[p].name) == 0)
          keep_smallest (&refs->partner[p], r->id);
    }

  return TRUE;
}

static gboolean
demo_refs_complete (DemoRefs  *refs,
                    GError   **error)
{
  gboolean complete = refs->office[CENTRAL] != NULL;

  for (guint i = 0; i < N_GOV; i++)
    complete = complete && refs->office[i] != NULL && refs->caseworkers[i]->len > 0 &&
               refs->supervisors[i]->len > 0 && refs->field_officers[i]->len > 0;
  for (guint i = 0; i < N_PROGRAMMES; i++)
    complete = complete && refs->programme[i] != NULL;
  for (guint i = 0; i < N_PARTNERS; i++)
    complete = complete && refs->partner[i] != NULL;

  if (!complete)
    g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_FOUND,
                 _("The database lacks the demo’s reference data (offices, staff, programmes, partners): run the demo first."));
  return complete;
}

typedef struct
{
  AwdaStore *store;
  GRand     *rand;
  guint64    number;     /* the time part of the next reference id */
  guint      n_created;
} RefWriter;

/* Draws the next reference id, whether or not the record is created, so
 * that existing records do not shift the ids of the others. */
static const char *
ref_next_id (RefWriter *w,
             char       id[37])
{
  return format_uuid (id, DEMO_REF_EPOCH_MS + w->number++, 0, w->rand);
}

static gboolean
ref_apply (RefWriter  *w,
           AwdaEdit   *edit,
           GError    **error)
{
  if (!awda_store_apply (w->store, edit, error))
    return FALSE;
  w->n_created++;
  return TRUE;
}

static void
staff_name (GRand *r,
            char  *out,
            gsize  size)
{
  gboolean male = chance (r, 55);
  const DemoName *given = PICK_GIVEN (r, male);
  const DemoName *family = PICK_FAMILY (r);

  g_snprintf (out, size, "%s %s", given->latin, family->latin);
}

static gboolean
create_staff (RefWriter  *w,
              DemoRefs   *refs,
              guint       office,
              const char *role,
              guint       count,
              GError    **error)
{
  GPtrArray *list = staff_list (refs, office, role);
  gboolean create = list->len == 0;

  for (guint k = 0; k < count; k++)
    {
      char id[37], name[96];

      ref_next_id (w, id);
      staff_name (w->rand, name, sizeof name);
      if (create)
        {
          g_autoptr(AwdaEdit) edit = awda_edit_new_with_id ("staff", id);

          awda_edit_set (edit, "name", name);
          awda_edit_set (edit, "role", role);
          awda_edit_set (edit, "office", refs->office[office]);
          awda_edit_set (edit, "active", "true");
          if (!ref_apply (w, edit, error))
            return FALSE;
          g_ptr_array_add (list, g_strdup (id));
        }
    }
  return TRUE;
}

/* Creates whatever reference data is missing, in one transaction. */
static gboolean
demo_refs_ensure (DemoRefs    *refs,
                  AwdaStore   *store,
                  guint64      seed,
                  guint       *n_created,
                  GError     **error)
{
  g_autoptr(GRand) stream = stream_new (awda_store_get_site (store)->id, seed, 0, STREAM_REFERENCE);
  RefWriter w = { store, stream, 0, 0 };
  char id[37];

  if (!demo_refs_load (refs, store, error))
    return FALSE;
  if (demo_refs_complete (refs, NULL))
    {
      *n_created = 0;
      return TRUE;
    }

  if (!awda_store_begin (store, error))
    return FALSE;

  /* Offices: the central platform, then one per governorate */
  for (guint i = 0; i < N_OFFICES; i++)
    {
      g_autoptr(AwdaEdit) edit = NULL;
      char name[128];
      const char *gov = i == CENTRAL ? "TN-11" : governorates[i].code;

      ref_next_id (&w, id);
      if (refs->office[i] != NULL)
        continue;
      if (i == CENTRAL)
        g_strlcpy (name, "Plateforme centrale de réintégration — Tunis", sizeof name);
      else
        g_snprintf (name, sizeof name, "Bureau régional de %s", governorates[i].city);

      edit = awda_edit_new_with_id ("office", id);
      awda_edit_set (edit, "name", name);
      awda_edit_set (edit, "kind", i == CENTRAL ? "central" : "regional");
      awda_edit_set (edit, "governorate", gov);
      awda_edit_set (edit, "approval_threshold", i == CENTRAL ? "10000" : "3000");
      awda_edit_set (edit, "threshold_currency", "TND");
      if (!ref_apply (&w, edit, error))
        goto failed;
      refs->office[i] = g_strdup (id);
    }

  /* Staff: caseworkers in proportion to the population served */
  for (guint i = 0; i < N_OFFICES; i++)
    {
      if (i == CENTRAL)
        {
          if (!create_staff (&w, refs, i, "central_staff", 4, error) ||
              !create_staff (&w, refs, i, "supervisor", 2, error))
            goto failed;
          continue;
        }
      if (!create_staff (&w, refs, i, "caseworker", 2 + governorates[i].weight / 200, error) ||
          !create_staff (&w, refs, i, "supervisor", governorates[i].weight > 600 ? 2 : 1, error) ||
          !create_staff (&w, refs, i, "field_officer", 1 + governorates[i].weight / 500, error))
        goto failed;
    }

  for (guint p = 0; p < N_PROGRAMMES; p++)
    {
      g_autoptr(AwdaEdit) edit = NULL;

      ref_next_id (&w, id);
      if (refs->programme[p] != NULL)
        continue;
      edit = awda_edit_new_with_id ("programme", id);
      awda_edit_set (edit, "name", programmes[p].name);
      awda_edit_set (edit, "donor", programmes[p].donor);
      awda_edit_set (edit, "currency", programmes[p].currency);
      awda_edit_set (edit, "ceiling", programmes[p].ceiling);
      awda_edit_set (edit, "active", "true");
      if (!ref_apply (&w, edit, error))
        goto failed;
      refs->programme[p] = g_strdup (id);
      refs->programme_currency[p] = g_strdup (programmes[p].currency);
      refs->programme_ceiling[p] = g_ascii_strtoll (programmes[p].ceiling, NULL, 10);
    }

  for (guint p = 0; p < N_PARTNERS; p++)
    {
      g_autoptr(AwdaEdit) edit = NULL;

      ref_next_id (&w, id);
      if (refs->partner[p] != NULL)
        continue;
      edit = awda_edit_new_with_id ("partner", id);
      awda_edit_set (edit, "name", partners[p].name);
      awda_edit_set (edit, "kind", partners[p].kind);
      awda_edit_set (edit, "services", partners[p].services);
      awda_edit_set (edit, "phone", partners[p].phone);
      if (p == PA_CRE)
        awda_edit_set (edit, "governorate", "TN-11");
      if (!ref_apply (&w, edit, error))
        goto failed;
      refs->partner[p] = g_strdup (id);
    }

  if (!awda_store_commit (store, error))
    return FALSE;

  *n_created = w.n_created;
  return demo_refs_complete (refs, error);

failed:
  awda_store_rollback (store);
  return FALSE;
}

/* Cases */

static void
demo_cases_free_fields (AwdaDemoCases *self)
{
  demo_refs_clear (&self->refs);
  g_clear_pointer (&self->rand, g_rand_free);
}

void
awda_demo_cases_free (AwdaDemoCases *self)
{
  if (self == NULL)
    return;
  demo_cases_free_fields (self);
  g_free (self);
}

/* Takes over @refs. */
static AwdaDemoCases *
demo_cases_new (AwdaStore  *store,
                guint64     seed,
                guint64     first,
                DemoRefs   *refs,
                GError    **error)
{
  g_autoptr(AwdaDemoCases) self = g_new0 (AwdaDemoCases, 1);
  const char *site_id = awda_store_get_site (store)->id;

  self->refs = *refs;
  memset (refs, 0, sizeof *refs);

  self->entity = awda_dictionary_lookup_entity ("case");
  if (self->entity == NULL)
    {
      g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                   _("The data dictionary has no “case” record."));
      return NULL;
    }
  for (guint i = 0; i < N_CF; i++)
    {
      self->field_index[i] = awda_entity_field_index (self->entity, case_field_names[i]);
      if (self->field_index[i] < 0)
        {
          g_set_error (error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_INVALID,
                       _("The data dictionary has no field “%s” for a case."), case_field_names[i]);
          return NULL;
        }
    }

  self->rand = stream_new (site_id, seed, first, STREAM_CASES);
  self->number = first;
  /* National ID numbers: a permutation of the case numbers (see below),
   * shifted per site. */
  for (guint i = 0; site_id[i] != '\0'; i++)
    self->id_offset = (self->id_offset * 16 + (guint64) g_ascii_xdigit_value (site_id[i])) % NATIONAL_ID_RANGE;

  return g_steal_pointer (&self);
}

/* Draws the stage and the day each stage began. */
static void
draw_timeline (GRand    *r,
               DemoCase *c,
               gint32   *ret,
               guint    *closure)
{
  gint32 gap, d_assess, d_plan, d_impl, d_mon, tail = 0, t, latest, span;
  double u, lean = 1.0;
  static const guint reached_before_closure[] = { 30, 25, 20, 15, 10 };

  c->stage = (guint8) pick_weighted (r, stage_weights, N_STAGES);
  if (c->stage == S_CLOSED)
    {
      guint weights[G_N_ELEMENTS (closures)];

      for (guint i = 0; i < G_N_ELEMENTS (closures); i++)
        weights[i] = closures[i].weight;
      *closure = pick_weighted (r, weights, G_N_ELEMENTS (closures));
      c->reached = closures[*closure].completed
                   ? S_MONITORING
                   : (guint8) pick_weighted (r, reached_before_closure, G_N_ELEMENTS (reached_before_closure));
      tail = closures[*closure].completed ? rnd_between (r, 60, 365) : rnd_between (r, 10, 180);
    }
  else
    c->reached = c->stage;

  gap = rnd_between (r, 0, 60);
  d_assess = rnd_between (r, 2, 30);
  d_plan = rnd_between (r, 7, 60);
  d_impl = rnd_between (r, 10, 90);
  d_mon = rnd_between (r, 90, 365);

  t = gap;
  if (c->reached >= S_ASSESSMENT) t += d_assess;
  if (c->reached >= S_PLAN) t += d_plan;
  if (c->reached >= S_IMPLEMENTATION) t += d_impl;
  if (c->reached >= S_MONITORING) t += d_mon;
  t += tail;

  /* The return date leans to the recent end of the period for the early
   * stages: few cases wait in reception for years. */
  latest = DAY_TODAY - t;
  span = latest - DAY_START;
  u = g_rand_double (r);
  for (guint i = 0; i < stage_recency[c->stage]; i++)
    lean *= u;
  *ret = latest - (gint32) (span * lean);

  c->opened = *ret + gap;
  c->assessed = c->reached >= S_ASSESSMENT ? c->opened + d_assess : 0;
  c->planned = c->reached >= S_PLAN ? c->assessed + d_plan : 0;
  c->implemented = c->reached >= S_IMPLEMENTATION ? c->planned + d_impl : 0;
  c->monitored = c->reached >= S_MONITORING ? c->implemented + d_mon : 0;
  c->closed = 0;
  if (c->stage == S_CLOSED)
    {
      gint32 last = c->monitored ? c->monitored : c->implemented ? c->implemented
                    : c->planned ? c->planned : c->assessed ? c->assessed : c->opened;
      c->closed = MIN (last + tail, DAY_TODAY);
    }
}

static void
demo_cases_generate (AwdaDemoCases *self)
{
  static const guint education_weights[] = { 8, 25, 40, 15, 12 };
  static const char *education_names[] = { "none", "primary", "secondary", "vocational", "higher" };
  static const guint return_type_weights[] = { 50, 20, 30 };
  static const char *return_types[] = { "assisted_voluntary", "forced", "spontaneous" };
  static const guint consent_weights[] = { 25, 45, 30 };
  static const char *consent_scopes[] = { "case_management", "referral", "statistics" };
  static const guint phone_weights[] = { 45, 5, 20, 30 };
  static const char phone_first[] = { '2', '4', '5', '9' };
  GRand *r = self->rand;
  DemoCase *c = &self->current;
  const DemoName *given, *family;
  const DemoOccupation *occupation;
  guint host_weights[G_N_ELEMENTS (hosts)], gov_weights[N_GOV];
  guint host, closure = 0, return_type, age;
  gint32 ret;
  int ret_year, departure;
  gboolean consent, vulnerable;
  char *b;
  guint32 x;

  memset (self->values, 0, sizeof self->values);
  memset (c, 0, sizeof *c);
  c->number = self->number;
  format_uuid (c->id, DEMO_ID_EPOCH_MS + self->number, 0, r);

  /* Identity */
  c->male = chance (r, 78);
  given = PICK_GIVEN (r, c->male);
  c->family = (guint16) pick_family (r, G_N_ELEMENTS (family_names));
  family = &family_names[c->family];
  self->values[CF_GIVEN_NAME] = given->latin;
  self->values[CF_FAMILY_NAME] = family->latin;
  self->values[CF_GIVEN_NAME_AR] = given->arabic;
  self->values[CF_FAMILY_NAME_AR] = family->arabic;
  self->values[CF_SEX] = c->male ? "m" : "f";

  for (guint i = 0; i < N_GOV; i++)
    gov_weights[i] = governorates[i].weight;
  c->gov = (guint8) pick_weighted (r, gov_weights, N_GOV);
  self->values[CF_GOVERNORATE] = governorates[c->gov].code;

  /* Return */
  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    host_weights[i] = hosts[i].weight;
  host = pick_weighted (r, host_weights, G_N_ELEMENTS (hosts));
  self->values[CF_HOST_COUNTRY] = hosts[host].code;

  draw_timeline (r, c, &ret, &closure);
  ret_year = year_of_day (ret);

  /* 18 to 65 at return, most of them in their twenties and thirties */
  age = 18 + rnd (r, 16) + rnd (r, 16) + (chance (r, 20) ? rnd (r, 18) : 0);
  /* a couple of days' margin either way, so that leap years never make it 17 or 66 */
  c->birth = ret - (gint32) (age * 365.25) - 2 - (gint32) rnd (r, 360);
  departure = ret_year - 1 - (int) rnd (r, 4) - (chance (r, 20) ? (int) rnd (r, 13) : 0);
  departure = MAX (departure, year_of_day (c->birth) + 16);
  departure = MIN (departure, ret_year);

  return_type = pick_weighted (r, return_type_weights, G_N_ELEMENTS (return_type_weights));
  c->programme = return_type == 0 ? hosts[host].programme : NO_PROGRAMME;

  /* Situation */
  {
    static const guint young[] = { 80, 18, 2, 0 };
    static const guint middle[] = { 40, 52, 6, 2 };
    static const guint older[] = { 12, 72, 10, 6 };

    c->marital = (guint8) pick_weighted (r, age < 25 ? young : age <= 40 ? middle : older, 4);
  }
  switch (c->marital)
    {
    case M_MARRIED:
      c->n_members = (guint8) (1 + rnd (r, 5));
      break;
    case M_SINGLE:
      c->n_members = (guint8) (chance (r, 70) ? 0 : 1 + rnd (r, 2));
      break;
    default:
      c->n_members = (guint8) rnd (r, 4);
      break;
    }
  occupation = &PICK (r, occupations);

  /* Vulnerabilities: about one case in five */
  vulnerable = chance (r, 20);
  c->vulnerable = vulnerable;

  /* Management */
  {
    GPtrArray *caseworkers = self->refs.caseworkers[c->gov];

    c->caseworker = (guint16) rnd (r, caseworkers->len);
    self->values[CF_OWNER_OFFICE] = self->refs.office[c->gov];
    self->values[CF_CASEWORKER] = g_ptr_array_index (caseworkers, c->caseworker);
  }
  self->values[CF_STATUS] = stage_names[c->stage];
  {
    static const guint usual[] = { 12, 60, 20, 8 };
    static const guint fragile[] = { 2, 38, 40, 20 };
    static const char *priorities[] = { "low", "normal", "high", "urgent" };

    self->values[CF_PRIORITY] = priorities[pick_weighted (r, vulnerable ? fragile : usual, 4)];
  }
  self->values[CF_OPENED_ON] = format_day (self->buf[CF_OPENED_ON], c->opened);
  if (c->stage == S_CLOSED)
    {
      self->values[CF_CLOSED_ON] = format_day (self->buf[CF_CLOSED_ON], c->closed);
      self->values[CF_CLOSURE_REASON] = closures[closure].reason;
    }

  /* Personal data is kept once consent is given: a few cases just
   * received have not given it yet. */
  consent = c->stage != S_RECEPTION || chance (r, 92);
  if (!consent)
    {
      c->n_members = 0;
      c->vulnerable = FALSE;
      self->number++;
      return;
    }
  self->values[CF_CONSENT_GIVEN_ON] = self->values[CF_OPENED_ON];
  self->values[CF_CONSENT_SCOPE] = consent_scopes[pick_weighted (r, consent_weights, 3)];

  self->values[CF_BIRTH_DATE] = format_day (self->buf[CF_BIRTH_DATE], c->birth);

  /* Eight digits, starting with 0 or 1 like the identity card numbers:
   * number × 73939133 + offset modulo 2 × 10⁷ is a permutation (the
   * multiplier is prime to 2 and 5), so no two cases of a site share one. */
  b = self->buf[CF_NATIONAL_ID];
  put_digits (b, (unsigned) ((self->number % NATIONAL_ID_RANGE * 73939133 + self->id_offset) % NATIONAL_ID_RANGE), 8);
  b[8] = '\0';
  self->values[CF_NATIONAL_ID] = b;

  b = self->buf[CF_PHONE];
  x = g_rand_int (r) % 10000000;
  memcpy (b, "+216 ", 5);
  b[5] = phone_first[pick_weighted (r, phone_weights, 4)];
  put_digits (b + 6, x / 1000000, 1);
  b[7] = ' ';
  put_digits (b + 8, (x / 1000) % 1000, 3);
  b[11] = ' ';
  put_digits (b + 12, x % 1000, 3);
  b[15] = '\0';
  self->values[CF_PHONE] = b;

  g_snprintf (self->buf[CF_ADDRESS], CF_BUFSIZE, "%u, %s, %u %s",
              1 + rnd (r, 120), PICK (r, streets), governorates[c->gov].postcode, governorates[c->gov].city);
  self->values[CF_ADDRESS] = self->buf[CF_ADDRESS];

  self->values[CF_DEPARTURE_YEAR] = format_uint (self->buf[CF_DEPARTURE_YEAR], (guint64) departure);
  self->values[CF_RETURN_DATE] = format_day (self->buf[CF_RETURN_DATE], ret);
  self->values[CF_RETURN_TYPE] = return_types[return_type];
  if (c->programme != NO_PROGRAMME)
    self->values[CF_RETURN_PROGRAMME] = self->refs.programme[c->programme];

  self->values[CF_EDUCATION] = education_names[pick_weighted (r, education_weights, 5)];
  self->values[CF_OCCUPATION] = occupation->occupation;
  self->values[CF_SKILLS] = occupation->skills;
  self->values[CF_MARITAL_STATUS] = marital_names[c->marital];
  self->values[CF_HOUSEHOLD_SIZE] = format_uint (self->buf[CF_HOUSEHOLD_SIZE], 1 + c->n_members);

  if (vulnerable)
    {
      static const guint vuln_weights[] = { 25, 30, 8, 12, 30, 7 };
      guint n = 1 + rnd (r, 2);

      for (guint k = 0; k < n; k++)
        {
          switch (pick_weighted (r, vuln_weights, G_N_ELEMENTS (vuln_weights)))
            {
            case 0: self->values[CF_VULN_MEDICAL] = "true"; break;
            case 1: self->values[CF_VULN_PSYCHOLOGICAL] = "true"; break;
            case 2: self->values[CF_VULN_DISABILITY] = "true"; break;
            case 3:
              /* A single parent: children, and no spouse */
              if ((c->marital == M_DIVORCED || c->marital == M_WIDOWED) && c->n_members > 0)
                self->values[CF_VULN_SINGLE_PARENT] = "true";
              else
                self->values[CF_VULN_DEBT] = "true";
              break;
            case 4: self->values[CF_VULN_DEBT] = "true"; break;
            default: self->values[CF_VULN_OTHER] = PICK (r, vuln_other_texts); break;
            }
        }
    }

  self->number++;
}

AwdaDemoCases *
awda_demo_cases_new (AwdaStore  *store,
                     guint64     seed,
                     guint64     first,
                     GError    **error)
{
  DemoRefs refs;
  AwdaDemoCases *self;

  g_return_val_if_fail (AWDA_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  demo_refs_init (&refs);
  if (!demo_refs_load (&refs, store, error) || !demo_refs_complete (&refs, error))
    {
      demo_refs_clear (&refs);
      return NULL;
    }
  self = demo_cases_new (store, seed, first, &refs, error);
  demo_refs_clear (&refs);
  return self;
}

const char *
awda_demo_cases_next (AwdaDemoCases  *self,
                      const char    **values)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (values != NULL, NULL);

  demo_cases_generate (self);
  for (guint i = 0; i < self->entity->n_fields; i++)
    values[i] = NULL;
  for (guint i = 0; i < N_CF; i++)
    values[self->field_index[i]] = self->values[i];
  return self->current.id;
}

/* Child records */

typedef struct
{
  AwdaStore      *store;
  AwdaDemoCases  *cases;   /* for the reference data */
  GRand          *rand;
  const DemoCase *c;
  guint           seq;     /* the next child of the case */
  guint           n_written;
  char            id[37];
  char            d1[16], d2[16], d3[16];
  char            n1[24], n2[24], n3[24];
  char            text[256];
} ChildWriter;

static const char *
child_id (ChildWriter *w)
{
  return format_uuid (w->id, DEMO_ID_EPOCH_MS + w->c->number, ++w->seq, w->rand);
}

static gboolean
child_apply (ChildWriter  *w,
             AwdaEdit     *edit,
             GError      **error)
{
  if (!awda_store_apply (w->store, edit, error))
    return FALSE;
  w->n_written++;
  return TRUE;
}

static const char *
staff_of (GPtrArray *list,
          guint      position)
{
  return g_ptr_array_index (list, position % list->len);
}

/* The last day anything can have happened on the case. */
static gint32
case_limit (const DemoCase *c)
{
  return c->closed ? c->closed : DAY_TODAY;
}

static gboolean
write_members (ChildWriter  *w,
               GError      **error)
{
  const DemoCase *c = w->c;
  GRand *r = w->rand;
  const char *children_family = family_names[c->family].latin;

  for (guint k = 0; k < c->n_members; k++)
    {
      g_autoptr(AwdaEdit) edit = awda_edit_new_with_id ("household_member", child_id (w));
      const char *relation;
      gboolean male;
      const DemoName *given, *family = &family_names[c->family];
      gint32 birth;
      int age;

      if (c->marital == M_MARRIED && k == 0)
        {
          relation = "spouse";
          male = !c->male;
          birth = c->birth + rnd_between (r, -3 * 365, 8 * 365) * (c->male ? 1 : -1);
          /* Tunisian women keep their own family name. */
          family = PICK_FAMILY (r);
          if (!c->male)
            children_family = family->latin;
        }
      else if (c->marital != M_SINGLE)
        {
          relation = "child";
          male = chance (r, 51);
          birth = c->birth + rnd_between (r, 20 * 365, 38 * 365);
          birth = MIN (birth, DAY_TODAY - 30);
        }
      else if (chance (r, 60))
        {
          relation = "parent";
          male = chance (r, 40);
          birth = c->birth - rnd_between (r, 20 * 365, 38 * 365);
          if (!male)
            family = PICK_FAMILY (r);
        }
      else
        {
          relation = "sibling";
          male = chance (r, 50);
          birth = c->birth + rnd_between (r, -8 * 365, 8 * 365);
          birth = MIN (birth, DAY_TODAY - 30);
        }

      given = PICK_GIVEN (r, male);
      g_snprintf (w->text, sizeof w->text, "%s %s", given->latin,
                  g_str_equal (relation, "child") ? children_family : family->latin);

      awda_edit_set (edit, "case_id", c->id);
      awda_edit_set (edit, "name", w->text);
      awda_edit_set (edit, "relation", relation);
      awda_edit_set (edit, "sex", male ? "m" : "f");
      awda_edit_set (edit, "birth_date", format_day (w->d1, birth));

      age = (DAY_TODAY - birth) / 365;
      if (age < 6)
        awda_edit_set (edit, "schooling", "not_school_age");
      else if (age <= 18)
        awda_edit_set (edit, "schooling", chance (r, 90) ? "in_school" : "out_of_school");
      else
        awda_edit_set (edit, "schooling", chance (r, 70) ? "completed" : "out_of_school");

      if (!child_apply (w, edit, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_assessment (ChildWriter  *w,
                  const char   *kind,
                  gint32        day,
                  const char   *by,
                  gint          economic,
                  gint          social,
                  gint          psychosocial,
                  const char   *answers,
                  const char   *notes,
                  GError      **error)
{
  g_autoptr(AwdaEdit) edit = awda_edit_new_with_id ("assessment", child_id (w));

  awda_edit_set (edit, "case_id", w->c->id);
  awda_edit_set (edit, "date", format_day (w->d1, MIN (day, case_limit (w->c))));
  awda_edit_set (edit, "kind", kind);
  awda_edit_set (edit, "assessed_by", by);
  if (economic >= 0)
    {
      awda_edit_set (edit, "score_economic", format_uint (w->n1, (guint64) CLAMP (economic, 0, 100)));
      awda_edit_set (edit, "score_social", format_uint (w->n2, (guint64) CLAMP (social, 0, 100)));
      awda_edit_set (edit, "score_psychosocial", format_uint (w->n3, (guint64) CLAMP (psychosocial, 0, 100)));
    }
  set_if (edit, "answers", answers);
  set_if (edit, "notes", notes);
  return child_apply (w, edit, error);
}

static gboolean
write_assessments (ChildWriter  *w,
                   GError      **error)
{
  const DemoCase *c = w->c;
  GRand *r = w->rand;
  const char *caseworker = staff_of (w->cases->refs.caseworkers[c->gov], c->caseworker);
  gint economic, social, psychosocial;

  if (c->reached < S_ASSESSMENT)
    return TRUE;

  if (!write_assessment (w, "vulnerability_screening", c->assessed, caseworker, -1, -1, -1, NULL,
                         c->vulnerable ? screening_notes[1 + rnd (r, G_N_ELEMENTS (screening_notes) - 1)]
                                       : screening_notes[0], error))
    return FALSE;

  economic = rnd_between (w->rand, 5, 55);
  social = rnd_between (w->rand, 20, 80);
  psychosocial = rnd_between (w->rand, 20, 80) - (c->vulnerable ? 15 : 0);
  if (!write_assessment (w, "needs", c->assessed + rnd_between (r, 0, 14), caseworker,
                         economic, social, psychosocial, NULL, NULL, error))
    return FALSE;

  if (chance (r, 40) &&
      !write_assessment (w, "skills", c->assessed + rnd_between (r, 0, 20), caseworker,
                         -1, -1, -1, NULL, "Compétences vérifiées, attestations de travail fournies.", error))
    return FALSE;

  /* Reintegration sustainability surveys: at the start of monitoring,
   * then every six months, the scores rising as the plan bears fruit. */
  if (c->reached >= S_MONITORING)
    for (gint32 day = c->monitored, k = 0; day <= case_limit (c) && k < 3; day += 182, k++)
      {
        economic += rnd_between (r, 5, 30);
        social += rnd_between (r, 0, 15);
        psychosocial += rnd_between (r, 0, 20);
        g_snprintf (w->text, sizeof w->text, "revenu_stable=%s; logement=%s; intention_de_repartir=%s",
                    economic >= 50 ? "oui" : "non", chance (r, 80) ? "stable" : "précaire",
                    chance (r, 85) ? "non" : "oui");
        if (!write_assessment (w, "sustainability_survey", day,
                               staff_of (w->cases->refs.field_officers[c->gov], rnd (r, 8)),
                               economic, social, psychosocial, w->text, NULL, error))
          return FALSE;
      }

  return TRUE;
}

static gboolean
write_plan_items (ChildWriter  *w,
                  GError      **error)
{
  static const guint count_weights[] = { 30, 40, 20, 10 };
  /* The status of a plan item, by the stage its case has reached:
   * proposed, approved, in progress, done, cancelled. */
  static const guint status_weights[N_STAGES][5] = {
    { 0 }, { 0 },
    { 60, 35, 0, 0, 5 },
    { 0, 30, 50, 15, 5 },
    { 0, 0, 15, 75, 10 },
  };
  static const char *statuses[] = { "proposed", "approved", "in_progress", "done", "cancelled" };
  const DemoCase *c = w->c;
  GRand *r = w->rand;
  DemoRefs *refs = &w->cases->refs;
  guint n;

  if (c->reached < S_PLAN)
    return TRUE;

  n = 1 + pick_weighted (r, count_weights, G_N_ELEMENTS (count_weights));
  for (guint k = 0; k < n; k++)
    {
      g_autoptr(AwdaEdit) edit = awda_edit_new_with_id ("plan_item", child_id (w));
      static const guint economic_first[] = { 40, 30, 20, 0, 0, 0, 0, 0, 10 };
      guint kind_weights[N_KINDS];
      const DemoPlanKind *kind;
      guint programme = c->programme, status;
      const char *currency = "TND";
      gint64 ceiling = 3000, budget;

      for (guint i = 0; i < N_KINDS; i++)
        kind_weights[i] = plan_kinds[i].weight;
      kind = &plan_kinds[pick_weighted (r, k == 0 ? economic_first : kind_weights, N_KINDS)];

      if (programme == NO_PROGRAMME && chance (r, 60))
        programme = P_NATIONAL;
      if (programme != NO_PROGRAMME)
        {
          currency = refs->programme_currency[programme];
          ceiling = refs->programme_ceiling[programme];
        }
      budget = ceiling * rnd_between (r, kind->share_min, kind->share_max) / 100 / 50 * 50;

      status = pick_weighted (r, status_weights[c->reached], 5);
      /* A closed case leaves nothing pending. */
      if (c->stage == S_CLOSED && (status == 0 || status == 2))
        status = status == 0 ? 4 : 3;

      awda_edit_set (edit, "case_id", c->id);
      awda_edit_set (edit, "dimension", kind->dimension);
      awda_edit_set (edit, "kind", kind->kind);
      if (kind == &plan_kinds[K_BUSINESS])
        g_snprintf (w->text, sizeof w->text, "Création d’une micro-entreprise : %s", PICK (r, business_activities));
      else if (kind == &plan_kinds[K_TRAINING])
        g_snprintf (w->text, sizeof w->text, "Formation professionnelle qualifiante en %s", PICK (r, training_trades));
      else
        g_strlcpy (w->text, kind_descriptions[kind - plan_kinds], sizeof w->text);
      awda_edit_set (edit, "description", w->text);
      awda_edit_set (edit, "provider", refs->partner[kind->providers[rnd (r, kind->n_providers)]]);
      if (programme != NO_PROGRAMME)
        awda_edit_set (edit, "programme", refs->programme[programme]);
      if (budget > 0)
        {
          awda_edit_set (edit, "budget", format_uint (w->n1, (guint64) budget));
          awda_edit_set (edit, "currency", currency);
        }
      awda_edit_set (edit, "status", statuses[status]);

      if (status >= 1 && status <= 3)
        {
          gint32 approved = c->planned + rnd_between (r, 3, 20);

          if (c->implemented)
            approved = MIN (approved, c->implemented);
          approved = MIN (approved, case_limit (c));
          awda_edit_set (edit, "approved_by", staff_of (refs->supervisors[c->gov], rnd (r, 4)));
          awda_edit_set (edit, "approved_on", format_day (w->d1, approved));

          /* Money goes out from implementation on. */
          if (status >= 2 && budget > 0 && c->implemented)
            {
              gint64 disbursed = status == 3 ? budget : budget * rnd_between (r, 30, 80) / 100;
              gint32 day = MIN (MAX (approved, c->implemented) + rnd_between (r, 0, 60), case_limit (c));

              awda_edit_set (edit, "disbursed", format_uint (w->n2, (guint64) disbursed));
              awda_edit_set (edit, "disbursed_on", format_day (w->d2, day));
            }
        }

      if (!child_apply (w, edit, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_referrals (ChildWriter  *w,
                 GError      **error)
{
  static const guint count_weights[] = { 35, 35, 20, 10 };
  const DemoCase *c = w->c;
  GRand *r = w->rand;
  guint n;

  if (c->reached < S_ASSESSMENT)
    return TRUE;

  n = pick_weighted (r, count_weights, G_N_ELEMENTS (count_weights));
  for (guint k = 0; k < n; k++)
    {
      g_autoptr(AwdaEdit) edit = awda_edit_new_with_id ("referral", child_id (w));
      guint partner = rnd (r, N_PARTNERS);
      gint32 sent = c->assessed + (gint32) rnd (r, (guint) (case_limit (c) - c->assessed + 1));
      const char *status, *outcome = NULL;

      /* Referrals are tracked to their result; only recent ones wait. */
      if (c->stage != S_CLOSED && case_limit (c) - sent < 21)
        status = "sent";
      else
        {
          guint x = rnd (r, 100);

          if (x < 60 || (c->stage == S_CLOSED && x >= 85))
            {
              status = "done";
              outcome = PICK (r, referral_done_outcomes);
            }
          else if (x < 85)
            {
              status = "rejected";
              outcome = PICK (r, referral_rejected_outcomes);
            }
          else
            status = "accepted";
        }

      awda_edit_set (edit, "case_id", c->id);
      awda_edit_set (edit, "partner", w->cases->refs.partner[partner]);
      awda_edit_set (edit, "service", partners[partner].service);
      awda_edit_set (edit, "sent_on", format_day (w->d1, sent));
      awda_edit_set (edit, "status", status);
      set_if (edit, "outcome", outcome);
      if (!child_apply (w, edit, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_follow_up (ChildWriter  *w,
                 gint32        scheduled,
                 gint32        done,
                 gint32        next,
                 GError      **error)
{
  static const guint mode_weights[] = { 40, 40, 20 };
  static const char *modes[] = { "office", "phone", "visit" };
  const DemoCase *c = w->c;
  DemoRefs *refs = &w->cases->refs;
  g_autoptr(AwdaEdit) edit = awda_edit_new_with_id ("follow_up", child_id (w));

  awda_edit_set (edit, "case_id", c->id);
  awda_edit_set (edit, "scheduled_on", format_day (w->d1, scheduled));
  if (done > 0)
    {
      guint mode = pick_weighted (w->rand, mode_weights, 3);

      awda_edit_set (edit, "done_on", format_day (w->d2, done));
      awda_edit_set (edit, "mode", modes[mode]);
      awda_edit_set (edit, "done_by", mode == 2 ? staff_of (refs->field_officers[c->gov], c->caseworker)
                                                : staff_of (refs->caseworkers[c->gov], c->caseworker));
      awda_edit_set (edit, "notes", PICK (w->rand, follow_up_notes));
      if (next > 0)
        awda_edit_set (edit, "next_date", format_day (w->d3, next));
    }
  return child_apply (w, edit, error);
}

static gboolean
write_follow_ups (ChildWriter  *w,
                  GError      **error)
{
  const DemoCase *c = w->c;
  GRand *r = w->rand;
  gint32 limit = case_limit (c), scheduled;
  gboolean open = c->stage != S_CLOSED;

  if (c->reached < S_IMPLEMENTATION)
    return TRUE;

  /* Past follow-ups are done, except a missed one; an open case has one
   * pending: overdue when missed, or upcoming. */
  scheduled = c->implemented + rnd_between (r, 20, 45);
  for (guint k = 0; ; k++)
    {
      gint32 done, next;

      if (scheduled > limit || k == 6)
        {
          if (open)
            return write_follow_up (w, MIN (scheduled, DAY_SCHEDULE_END), 0, 0, error);
          return TRUE;
        }
      if (open && chance (r, 12))
        return write_follow_up (w, scheduled, 0, 0, error);

      done = MIN (scheduled + rnd_between (r, -2, 10), limit);
      next = done + rnd_between (r, 30, 120);
      if (!open && next > limit)
        next = 0;
      if (!write_follow_up (w, scheduled, done, next, error))
        return FALSE;
      if (next == 0)
        return TRUE;
      scheduled = next;
    }
}

static gboolean
write_children (ChildWriter     *w,
                const DemoCase  *c,
                GError         **error)
{
  w->c = c;
  w->seq = 0;
  return write_members (w, error) &&
         write_assessments (w, error) &&
         write_plan_items (w, error) &&
         write_referrals (w, error) &&
         write_follow_ups (w, error);
}

/* The run */

/* Cases a transaction, so that memory stays flat; then the child records
 * of as many, in another. */
static guint batch_size = 50000;

/* Adding at least this many cases, and at least as many as there are,
 * the demo builds the case table's indexes once at the end instead of
 * row by row. */
static guint bulk_threshold = 20000;

void
awda_demo_set_bulk_threshold (guint n_cases)
{
  bulk_threshold = n_cases;
}

void
awda_demo_set_batch_size (guint n_cases)
{
  g_return_if_fail (n_cases > 0);
  batch_size = n_cases;
}

/* A span of the run: its wall-clock time and the process's processor time. */
typedef struct
{
  gint64 wall;
  gint64 cpu;
} Span;

static gint64
process_cpu_us (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
    return 0;
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
span_start (Span *span)
{
  span->wall = g_get_monotonic_time ();
  span->cpu = process_cpu_us ();
}

static void
span_add (const Span *span,
          gdouble    *wall_seconds,
          gdouble    *cpu_seconds)
{
  *wall_seconds += (g_get_monotonic_time () - span->wall) / 1e6;
  if (cpu_seconds != NULL)
    *cpu_seconds += (process_cpu_us () - span->cpu) / 1e6;
}

static gboolean
case_exists (AwdaStore   *store,
             const char  *id,
             gboolean    *exists,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(AwdaRecord) record = awda_store_get_record (store, "case", id, &local_error);

  if (record != NULL)
    *exists = TRUE;
  else if (g_error_matches (local_error, AWDA_STORE_ERROR, AWDA_STORE_ERROR_NOT_FOUND))
    *exists = FALSE;
  else
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* Writes one batch of cases in one transaction; a bulk run drops the
 * case table's indexes with its first batch and builds them with its
 * last, so that a run killed midway leaves them to the next opening of
 * the store (see awda_store_drop_indexes()). */
static gboolean
write_case_batch (AwdaStore      *store,
                  AwdaDemoCases  *cases,
                  DemoCase       *batch,
                  guint           n,
                  gboolean        drop_indexes,
                  gboolean        build_indexes,
                  GError        **error)
{
  if (!awda_store_begin (store, error))
    return FALSE;
  if (drop_indexes && !awda_store_drop_indexes (store, "case", error))
    goto failed;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AwdaEdit) edit = NULL;

      demo_cases_generate (cases);
      batch[i] = cases->current;
      edit = awda_edit_new_with_id ("case", batch[i].id);
      for (guint f = 0; f < N_CF; f++)
        set_if (edit, case_field_names[f], cases->values[f]);
      if (!awda_store_apply (store, edit, error))
        goto failed;
    }

  if (build_indexes && !awda_store_build_indexes (store, "case", error))
    goto failed;
  if (!awda_store_commit (store, error))
    return FALSE;
  return TRUE;

failed:
  awda_store_rollback (store);
  return FALSE;
}

static gboolean
write_child_batch (AwdaStore       *store,
                   ChildWriter     *w,
                   const DemoCase  *batch,
                   guint            n,
                   guint            done,
                   guint            n_cases,
                   AwdaDemoProgressFunc  progress,
                   gpointer         user_data,
                   GError         **error)
{
  if (!awda_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      if (!write_children (w, &batch[i], error))
        {
          awda_store_rollback (store);
          return FALSE;
        }
      if (progress != NULL && (i + 1) % DEMO_PROGRESS_STEP == 0 && i + 1 < n)
        progress (done + i + 1, n_cases, user_data);
    }
  return awda_store_commit (store, error);
}

gboolean
awda_demo_generate_with_stats (AwdaStore            *store,
                               guint                 n_cases,
                               guint64               seed,
                               AwdaDemoProgressFunc  progress,
                               gpointer              user_data,
                               AwdaDemoStats        *stats,
                               GError              **error)
{
  g_autoptr(AwdaDemoCases) cases = NULL;
  g_autoptr(GRand) child_rand = NULL;
  g_autofree DemoCase *batch = NULL;
  AwdaDemoStats local_stats = { 0 };
  const char *site_id;
  DemoRefs refs;
  ChildWriter w = { 0 };
  Span span;
  gint64 count;
  guint64 first;
  guint done = 0;
  gboolean bulk, indexes_dropped = FALSE;

  g_return_val_if_fail (AWDA_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (stats == NULL)
    stats = &local_stats;
  memset (stats, 0, sizeof *stats);
  site_id = awda_store_get_site (store)->id;

  /* Reference data, once per database */
  span_start (&span);
  demo_refs_init (&refs);
  if (!demo_refs_ensure (&refs, store, seed, &stats->n_reference, error))
    {
      demo_refs_clear (&refs);
      g_prefix_error (error, "%s ", _("Could not write the demo’s reference data:"));
      return FALSE;
    }
  span_add (&span, &stats->reference_seconds, NULL);

  /* A further run on the same database continues the numbering, so that
   * it adds cases instead of meeting its own ids again. Should its stream
   * be taken anyway (cases were deleted since), it moves on to the next. */
  count = awda_store_count_cases (store, error);
  if (count < 0)
    {
      demo_refs_clear (&refs);
      return FALSE;
    }
  for (first = (guint64) count; ; first++)
    {
      g_autoptr(GRand) probe = stream_new (site_id, seed, first, STREAM_CASES);
      char id[37];
      gboolean exists;

      if (!case_exists (store, format_uuid (id, DEMO_ID_EPOCH_MS + first, 0, probe), &exists, error))
        {
          demo_refs_clear (&refs);
          return FALSE;
        }
      if (!exists)
        break;
    }
  stats->first = first;

  cases = demo_cases_new (store, seed, first, &refs, error);
  demo_refs_clear (&refs);
  if (cases == NULL)
    return FALSE;

  /* Building an index costs a pass over the whole table: worth it when
   * the run at least doubles the table. */
  bulk = n_cases >= bulk_threshold && n_cases >= (guint64) count;
  stats->bulk = bulk;

  child_rand = stream_new (site_id, seed, first, STREAM_CHILDREN);
  batch = g_new (DemoCase, MIN (MAX (n_cases, 1), batch_size));
  w.store = store;
  w.cases = cases;
  w.rand = child_rand;

  if (progress != NULL)
    progress (0, n_cases, user_data);

  while (done < n_cases)
    {
      guint n = MIN (batch_size, n_cases - done);
      gboolean last = done + n == n_cases;

      /* The cases of the batch, in one transaction; then their child
       * records, in another. */
      span_start (&span);
      if (!write_case_batch (store, cases, batch, n, bulk && done == 0, bulk && last, error))
        goto failed;
      span_add (&span, &stats->case_seconds, &stats->case_cpu_seconds);
      stats->n_cases += n;
      indexes_dropped = bulk && !last;

      span_start (&span);
      if (!write_child_batch (store, &w, batch, n, done, n_cases, progress, user_data, error))
        goto failed;
      span_add (&span, &stats->child_seconds, &stats->child_cpu_seconds);
      stats->n_children = w.n_written;

      done += n;
      if (progress != NULL)
        progress (done, n_cases, user_data);
    }

  return TRUE;

failed:
  /* The batches written stay; so must the indexes. Should this fail as
   * well, the next opening of the store builds them. */
  if (indexes_dropped && awda_store_begin (store, NULL))
    {
      if (!awda_store_build_indexes (store, "case", NULL) || !awda_store_commit (store, NULL))
        awda_store_rollback (store);
    }
  g_prefix_error (error, "%s ", _("Could not write the demo data:"));
  return FALSE;
}

gboolean
awda_demo_generate (AwdaStore            *store,
                    guint                 n_cases,
                    guint64               seed,
                    AwdaDemoProgressFunc  progress,
                    gpointer              user_data,
                    GError              **error)
{
  return awda_demo_generate_with_stats (store, n_cases, seed, progress, user_data, NULL, error);
}
