package demo

// Name lists for synthetic people, written for Termtem. Thai given names
// follow fashions, so each sex has an older list (for people born before the
// mid-1990s) and a newer one (for children born since the 2000s); the mix
// makes a grandmother called สมศรี and a grandson called ธนกฤต, as in a
// real household register. None of these lists is drawn from real records.

var maleNamesOlder = []string{
	"สมชาย", "สมศักดิ์", "สมพงษ์", "สมบัติ", "สมหมาย", "สมเกียรติ", "สมนึก", "ประเสริฐ",
	"ประสิทธิ์", "ประพันธ์", "ประยูร", "วิชัย", "สุรชัย", "ชัยวัฒน์", "บุญชัย", "บุญมี",
	"บุญส่ง", "บุญเลิศ", "สุเทพ", "สุริยา", "วีระ", "วีรพงษ์", "ศักดิ์ชัย", "ชาตรี",
	"เอกชัย", "เอกพงษ์", "อภิชาติ", "อำนาจ", "ธีระ", "ธีรพงษ์", "นพดล", "มานพ",
	"มานะ", "ยุทธนา", "วุฒิชัย", "ศราวุธ", "สิทธิชัย", "อดิศักดิ์", "เกียรติศักดิ์", "ทวีศักดิ์",
	"ไพโรจน์", "สุรศักดิ์", "ศุภชัย", "อนุชา", "อนุวัฒน์", "กิตติพงษ์", "กิตติศักดิ์", "ณัฐพล",
	"ณัฐวุฒิ", "ธนากร", "จักรพันธ์", "วรวุฒิ", "พงศกร", "ภานุวัฒน์", "ปกรณ์", "เฉลิมชัย",
	"ณรงค์", "ธวัชชัย", "นิพนธ์", "พิทักษ์", "วสันต์", "สุชาติ", "อรรถพล", "ทองใบ",
}

var maleNamesNewer = []string{
	"ธนกฤต", "ภูมิ", "ภูริ", "ภูมิพัฒน์", "ธนวัฒน์", "ธีรภัทร", "ภัทรพล", "ปวริศ",
	"ศุภวิชญ์", "กันตพงศ์", "ธนภัทร", "พีรพัฒน์", "ชยพล", "ชยกร", "ปัณณวิชญ์", "ณัฐดนัย",
	"ภาคิน", "กวิน", "ก้องภพ", "ธนดล", "ธนภูมิ", "จิรายุ", "รัชชานนท์", "ศิวกร",
	"ธีรวัฒน์", "สิรวิชญ์", "ธนาธิป", "ภานุพงศ์", "เตชินท์", "พัชรพล", "กิตติภพ", "รัฐภูมิ",
}

var femaleNamesOlder = []string{
	"สมศรี", "สมหญิง", "สมใจ", "มาลี", "บุญเรือน", "ประไพ", "ประภาพร", "วันเพ็ญ",
	"สุนีย์", "สุภาพร", "สุกัญญา", "สุดารัตน์", "อรุณี", "อรอุมา", "อัญชลี", "ยุพิน",
	"ยุพา", "รัตนา", "วรรณา", "วิไลวรรณ", "ศิริพร", "จันทร์เพ็ญ", "นงลักษณ์", "นงนุช",
	"นันทนา", "บุษบา", "ปราณี", "พรทิพย์", "พิมพ์ใจ", "เพ็ญศรี", "มณีรัตน์", "ละเอียด",
	"ลำดวน", "วาสนา", "ศรีสุดา", "เสาวลักษณ์", "อำไพ", "กาญจนา", "จิราพร", "ชลธิชา",
	"ดวงใจ", "ทิพวรรณ", "นภาพร", "นิตยา", "เบญจวรรณ", "ปวีณา", "พัชรี", "เยาวลักษณ์",
	"รุ่งนภา", "วนิดา", "สุพัตรา", "อารีรัตน์", "อุไรวรรณ", "กนกวรรณ", "จุฑามาศ", "ธิดารัตน์",
	"นิภาพร", "ปิยะนุช", "พรรณี", "ลัดดา", "ศศิธร", "ขวัญใจ", "อมรรัตน์", "เกศินี",
}

var femaleNamesNewer = []string{
	"พิมพ์ชนก", "ธัญชนก", "ณัฐณิชา", "กัญญาณัฐ", "ชนิดาภา", "ปภาวรินท์", "ญาณิศา", "ธัญญาเรศ",
	"พิชญาภา", "กชกร", "ปาณิสรา", "ภัทรวดี", "ชญานิศ", "ณิชาภัทร", "วรัญญา", "สุพิชชา",
	"อภิสรา", "ธนพร", "ณัฏฐณิชา", "ขวัญข้าว", "พัชราภา", "ชนัญชิดา", "ศุภิสรา", "ปัณฑิตา",
	"กมลชนก", "ณัฐชยา", "พิมพ์มาดา", "อริสา", "วริศรา", "นภัสสร", "ศิรประภา", "เบญญาภา",
	"ณัฐธิดา",
}

// familyNames mixes old Thai surnames, Isan ones (many Lat Krabang families
// came from the north-east for work) and Thai-Chinese แซ่ names.
var familyNames = []string{
	"ใจดี", "ศรีสุข", "แสงทอง", "บุญมา", "ทองดี", "สุขสวัสดิ์", "แก้วมณี", "รักษาศรี",
	"สมบูรณ์", "มีสุข", "ทองคำ", "พรหมมา", "ศรีวงศ์", "จันทร์หอม", "อินทร์แก้ว", "บุญเรือง",
	"วงศ์สวัสดิ์", "สายทอง", "ปานทอง", "เพชรรัตน์", "ศรีประเสริฐ", "ชัยมงคล", "สุวรรณศรี", "ทองมา",
	"มั่นคง", "เจริญสุข", "เจริญผล", "พึ่งบุญ", "นาคสวัสดิ์", "บัวแก้ว", "คงสมบูรณ์", "รุ่งเรือง",
	"แสนสุข", "ทองประเสริฐ", "บุญประเสริฐ", "ศรีสวัสดิ์", "ชูชาติ", "ยิ้มแย้ม", "อ่อนศรี", "พลอยงาม",
	"เกิดผล", "ดวงดี", "บุญยืน", "มณีวงศ์", "สายสุวรรณ", "สุขเจริญ", "นิลสุวรรณ", "ทองสุข",
	"แก้วประเสริฐ", "พูลสวัสดิ์", "กิตติวงศ์", "วงศ์ใหญ่", "ศรีทอง", "จันทร์แก้ว", "หอมจันทร์", "ปัญญาดี",
	"อยู่สุข", "เอี่ยมสะอาด", "แซ่ตั้ง", "แซ่ลิ้ม", "แซ่อึ้ง", "แซ่เฮ้ง", "แซ่โค้ว", "ทองอยู่",
	"สร้อยทอง", "คำแก้ว", "คำดี", "ศรีบุญเรือง", "วงศ์คำ", "กองแก้ว", "บุญช่วย", "ศรีอ่อน",
	"พวงมาลัย", "ทองเหลือง", "มีชัย", "ชัยศรี", "บุญรอด", "แย้มศรี", "ประทุมทอง", "สังข์ทอง",
	"เรืองศรี", "ยอดดี", "ไชยวงศ์", "ศรีนวล", "บุตรดี", "โพธิ์ทอง", "จันทร์ดี", "ดวงจันทร์",
}

// Nicknames (ชื่อเล่น) are short, often English words or food and nature
// words for younger children; a few fit either sex.
var maleNicknamesOlder = []string{
	"ต้น", "โอ๊ต", "บอล", "เบียร์", "กอล์ฟ", "แบงค์", "ตั้ม", "เอ็ม", "อาร์ม", "นัท",
	"เก่ง", "ต้อม", "หนึ่ง", "เล็ก", "ดำ", "เอก", "ป๊อป", "ตู่", "โจ้", "หมู",
}

var maleNicknamesNewer = []string{
	"ภู", "ต้นกล้า", "ปั้น", "สกาย", "ไทม์", "ภูผา", "ข้าวกล้า", "ออโต้", "ซัน", "ไอซ์", "บีม", "ต้นน้ำ",
}

var femaleNicknamesOlder = []string{
	"น้ำ", "นุ่น", "แนน", "เมย์", "ฝน", "พลอย", "ปลา", "ปุ๊ก", "ต่าย", "อ้อ",
	"แอน", "ตุ๊ก", "แดง", "น้อย", "กุ้ง", "ปู", "หมิว", "ออม", "แป้ง", "จอย", "นก",
}

var femaleNicknamesNewer = []string{
	"ข้าวหอม", "ใบเตย", "มะปราง", "น้ำใส", "น้ำหวาน", "พีช", "ใบบัว", "ขวัญ", "แพรวา", "มินนี่", "ส้มโอ", "เฟิร์น",
}

// latinSpellings gives every given and family name above its RTGS
// romanisation (the Royal Thai General System, as passports and school
// rosters are told to use), then "|" and the spellings people actually
// write when they differ from what the variant rules make (ศรี is Sri on
// most name cards, -พร is -porn). The generator varies the spellings
// further (see latinVariant): Somchai, Somchay; Boonmee, Bunmi.
var latinSpellings = map[string]string{
	// male, older
	"สมชาย": "Somchai", "สมศักดิ์": "Somsak", "สมพงษ์": "Somphong|Sompong", "สมบัติ": "Sombat", "สมหมาย": "Sommai|Sommay",
	"สมเกียรติ": "Somkiat", "สมนึก": "Somnuek|Somnuk", "ประเสริฐ": "Prasoet|Prasert", "ประสิทธิ์": "Prasit|Prasith",
	"ประพันธ์": "Praphan|Prapan", "ประยูร": "Prayun|Prayoon", "วิชัย": "Wichai|Vichai", "สุรชัย": "Surachai",
	"ชัยวัฒน์": "Chaiwat", "บุญชัย": "Bunchai|Boonchai", "บุญมี": "Bunmi|Boonmee", "บุญส่ง": "Bunsong|Boonsong",
	"บุญเลิศ": "Bunloet|Boonlert", "สุเทพ": "Suthep", "สุริยา": "Suriya", "วีระ": "Wira|Weera|Veera",
	"วีรพงษ์": "Wiraphong|Weerapong", "ศักดิ์ชัย": "Sakchai", "ชาตรี": "Chatri|Chatree", "เอกชัย": "Ekkachai|Ekachai",
	"เอกพงษ์": "Ekkaphong|Ekapong", "อภิชาติ": "Aphichat|Apichart", "อำนาจ": "Amnat|Amnart", "ธีระ": "Thira|Teera",
	"ธีรพงษ์": "Thiraphong|Teerapong", "นพดล": "Noppadon|Nopadol", "มานพ": "Manop|Manob", "มานะ": "Mana",
	"ยุทธนา": "Yutthana|Yuttana", "วุฒิชัย": "Wutthichai|Wuttichai", "ศราวุธ": "Sarawut|Sarawuth", "สิทธิชัย": "Sitthichai|Sittichai",
	"อดิศักดิ์": "Adisak", "เกียรติศักดิ์": "Kiattisak|Kiattisak", "ทวีศักดิ์": "Thawisak|Taweesak", "ไพโรจน์": "Phairot|Pairoj",
	"สุรศักดิ์": "Surasak", "ศุภชัย": "Supphachai|Supachai", "อนุชา": "Anucha", "อนุวัฒน์": "Anuwat",
	"กิตติพงษ์": "Kittiphong|Kittipong", "กิตติศักดิ์": "Kittisak", "ณัฐพล": "Nattaphon|Nattapol", "ณัฐวุฒิ": "Nattawut|Nattawoot",
	"ธนากร": "Thanakon|Tanakorn", "จักรพันธ์": "Chakkraphan|Jakkapan", "วรวุฒิ": "Worawut|Worawoot", "พงศกร": "Phongsakon|Pongsakorn",
	"ภานุวัฒน์": "Phanuwat|Panuwat", "ปกรณ์": "Pakon|Pakorn", "เฉลิมชัย": "Chaloemchai|Chalermchai", "ณรงค์": "Narong",
	"ธวัชชัย": "Thawatchai|Tawatchai", "นิพนธ์": "Niphon|Nipon", "พิทักษ์": "Phithak|Pitak", "วสันต์": "Wasan|Wasant",
	"สุชาติ": "Suchat|Suchart", "อรรถพล": "Attaphon|Attapol", "ทองใบ": "Thongbai|Tongbai",
	// male, newer
	"ธนกฤต": "Thanakrit|Tanakrit", "ภูมิ": "Phum|Poom", "ภูริ": "Phuri|Puri", "ภูมิพัฒน์": "Phumiphat|Poomipat",
	"ธนวัฒน์": "Thanawat|Tanawat", "ธีรภัทร": "Thiraphat|Teerapat", "ภัทรพล": "Phattharaphon|Pattarapol", "ปวริศ": "Pawarit",
	"ศุภวิชญ์": "Suphawit|Supawit", "กันตพงศ์": "Kantaphong|Kantapong", "ธนภัทร": "Thanaphat|Tanapat", "พีรพัฒน์": "Phiraphat|Peerapat",
	"ชยพล": "Chayaphon|Chayapol", "ชยกร": "Chayakon|Chayakorn", "ปัณณวิชญ์": "Pannawit", "ณัฐดนัย": "Natdanai|Nutdanai",
	"ภาคิน": "Phakhin|Pakin", "กวิน": "Kawin", "ก้องภพ": "Kongphop|Kongpob", "ธนดล": "Thanadon|Tanadol",
	"ธนภูมิ": "Thanaphum|Tanapoom", "จิรายุ": "Chirayu|Jirayu", "รัชชานนท์": "Ratchanon|Rachanon", "ศิวกร": "Siwakon|Siwakorn",
	"ธีรวัฒน์": "Thirawat|Teerawat", "สิรวิชญ์": "Sirawit", "ธนาธิป": "Thanathip|Tanatip", "ภานุพงศ์": "Phanuphong|Panupong",
	"เตชินท์": "Techin|Taechin", "พัชรพล": "Phatcharaphon|Patcharapol", "กิตติภพ": "Kittiphop|Kittipob", "รัฐภูมิ": "Ratthaphum|Rattapoom",
	// female, older
	"สมศรี": "Somsi|Somsri", "สมหญิง": "Somying", "สมใจ": "Somchai|Somjai", "มาลี": "Mali|Malee",
	"บุญเรือน": "Bunruean|Boonruen", "ประไพ": "Praphai|Prapai", "ประภาพร": "Praphaphon|Prapaporn", "วันเพ็ญ": "Wanphen|Wanpen",
	"สุนีย์": "Suni|Sunee", "สุภาพร": "Suphaphon|Supaporn", "สุกัญญา": "Sukanya", "สุดารัตน์": "Sudarat",
	"อรุณี": "Aruni|Arunee", "อรอุมา": "Onuma|Orn-uma", "อัญชลี": "Anchali|Anchalee", "ยุพิน": "Yuphin|Yupin",
	"ยุพา": "Yupha|Yupa", "รัตนา": "Rattana", "วรรณา": "Wanna", "วิไลวรรณ": "Wilaiwan|Vilaiwan",
	"ศิริพร": "Siriphon|Siriporn", "จันทร์เพ็ญ": "Chanphen|Janpen", "นงลักษณ์": "Nongluk|Nongluck", "นงนุช": "Nongnut|Nongnuch",
	"นันทนา": "Nanthana|Nantana", "บุษบา": "Butsaba|Budsaba", "ปราณี": "Prani|Pranee", "พรทิพย์": "Phonthip|Pornthip",
	"พิมพ์ใจ": "Phimchai|Pimjai", "เพ็ญศรี": "Phensi|Pensri", "มณีรัตน์": "Manirat|Maneerat", "ละเอียด": "Laiat|La-iad",
	"ลำดวน": "Lamduan", "วาสนา": "Watsana|Wassana", "ศรีสุดา": "Sisuda|Srisuda", "เสาวลักษณ์": "Saowalak|Saowaluck",
	"อำไพ": "Amphai|Ampai", "กาญจนา": "Kanchana|Karnjana", "จิราพร": "Chiraphon|Jiraporn", "ชลธิชา": "Chonthicha|Chonticha",
	"ดวงใจ": "Duangchai|Duangjai", "ทิพวรรณ": "Thiphawan|Tipawan", "นภาพร": "Naphaphon|Napaporn", "นิตยา": "Nittaya",
	"เบญจวรรณ": "Benchawan|Benjawan", "ปวีณา": "Pawina|Paweena", "พัชรี": "Phatchari|Patcharee", "เยาวลักษณ์": "Yaowalak",
	"รุ่งนภา": "Rungnapha|Rungnapa", "วนิดา": "Wanida|Vanida", "สุพัตรา": "Suphattra|Supattra", "อารีรัตน์": "Arirat|Areerat",
	"อุไรวรรณ": "Uraiwan", "กนกวรรณ": "Kanokwan", "จุฑามาศ": "Chuthamat|Jutamas", "ธิดารัตน์": "Thidarat|Tidarat",
	"นิภาพร": "Niphaphon|Nipaporn", "ปิยะนุช": "Piyanut|Piyanuch", "พรรณี": "Phanni|Pannee", "ลัดดา": "Ladda",
	"ศศิธร": "Sasithon|Sasithorn", "ขวัญใจ": "Khwanchai|Kwanjai", "อมรรัตน์": "Amonrat|Amornrat", "เกศินี": "Ketsini|Kesinee",
	// female, newer
	"พิมพ์ชนก": "Phimchanok|Pimchanok", "ธัญชนก": "Thanchanok|Tanchanok", "ณัฐณิชา": "Natnicha|Nutnicha", "กัญญาณัฐ": "Kanyanat",
	"ชนิดาภา": "Chanidapha|Chanidapa", "ปภาวรินท์": "Paphawarin|Papawarin", "ญาณิศา": "Yanisa", "ธัญญาเรศ": "Thanyaret|Tanyares",
	"พิชญาภา": "Phitchayapha|Pitchayapa", "กชกร": "Kotchakon|Kodchakorn", "ปาณิสรา": "Panisara", "ภัทรวดี": "Phattharawadi|Pattarawadee",
	"ชญานิศ": "Chayanit", "ณิชาภัทร": "Nichaphat|Nichapat", "วรัญญา": "Waranya", "สุพิชชา": "Suphitcha|Supitcha",
	"อภิสรา": "Aphisara|Apisara", "ธนพร": "Thanaphon|Tanaporn", "ณัฏฐณิชา": "Natthanicha|Nattanicha", "ขวัญข้าว": "Khwankhao|Kwankao",
	"พัชราภา": "Phatcharapha|Patcharapa", "ชนัญชิดา": "Chananchida", "ศุภิสรา": "Suphisara|Supisara", "ปัณฑิตา": "Panthita|Pantita",
	"กมลชนก": "Kamonchanok|Kamolchanok", "ณัฐชยา": "Natchaya|Nutchaya", "พิมพ์มาดา": "Phimmada|Pimmada", "อริสา": "Arisa",
	"วริศรา": "Warisara", "นภัสสร": "Naphatson|Napatsorn", "ศิรประภา": "Siraprapha|Sirapapa", "เบญญาภา": "Benyapha|Benyapa",
	"ณัฐธิดา": "Natthida|Nattida",
	// family names
	"ใจดี": "Chaidi|Jaidee", "ศรีสุข": "Sisuk|Srisook", "แสงทอง": "Saengthong|Saengtong", "บุญมา": "Bunma|Boonma",
	"ทองดี": "Thongdi|Thongdee", "สุขสวัสดิ์": "Suksawat|Suksawad", "แก้วมณี": "Kaeomani|Kaewmanee", "รักษาศรี": "Raksasi|Raksasri",
	"สมบูรณ์": "Sombun|Somboon", "มีสุข": "Misuk|Meesuk", "ทองคำ": "Thongkham|Tongkam", "พรหมมา": "Phromma|Promma",
	"ศรีวงศ์": "Siwong|Sriwong", "จันทร์หอม": "Chanhom|Janhom", "อินทร์แก้ว": "Inkaeo|Inkaew", "บุญเรือง": "Bunrueang|Boonruang",
	"วงศ์สวัสดิ์": "Wongsawat|Wongsawad", "สายทอง": "Saithong|Saitong", "ปานทอง": "Panthong|Pantong", "เพชรรัตน์": "Phetcharat|Petcharat",
	"ศรีประเสริฐ": "Siprasoet|Sriprasert", "ชัยมงคล": "Chaimongkhon|Chaimongkol", "สุวรรณศรี": "Suwannasi|Suwannasri", "ทองมา": "Thongma|Tongma",
	"มั่นคง": "Mankhong|Munkong", "เจริญสุข": "Charoensuk|Jaroensuk", "เจริญผล": "Charoenphon|Jaroenpol", "พึ่งบุญ": "Phuengbun|Pungboon",
	"นาคสวัสดิ์": "Naksawat|Naksawad", "บัวแก้ว": "Buakaeo|Buakaew", "คงสมบูรณ์": "Khongsombun|Kongsomboon", "รุ่งเรือง": "Rungrueang|Rungruang",
	"แสนสุข": "Saensuk", "ทองประเสริฐ": "Thongprasoet|Tongprasert", "บุญประเสริฐ": "Bunprasoet|Boonprasert", "ศรีสวัสดิ์": "Sisawat|Srisawat",
	"ชูชาติ": "Chuchat|Chuchart", "ยิ้มแย้ม": "Yimyaem|Yimyam", "อ่อนศรี": "Onsi|Onsri", "พลอยงาม": "Ploingam|Ploy-ngam",
	"เกิดผล": "Koetphon|Kerdphol", "ดวงดี": "Duangdi|Duangdee", "บุญยืน": "Bunyuen|Boonyuen", "มณีวงศ์": "Maniwong|Maneewong",
	"สายสุวรรณ": "Saisuwan|Saisuwan", "สุขเจริญ": "Sukcharoen|Sukjaroen", "นิลสุวรรณ": "Ninsuwan|Nilsuwan", "ทองสุข": "Thongsuk|Tongsook",
	"แก้วประเสริฐ": "Kaeoprasoet|Kaewprasert", "พูลสวัสดิ์": "Phunsawat|Poonsawat", "กิตติวงศ์": "Kittiwong", "วงศ์ใหญ่": "Wongyai",
	"ศรีทอง": "Sithong|Srithong", "จันทร์แก้ว": "Chankaeo|Jankaew", "หอมจันทร์": "Homchan|Homjan", "ปัญญาดี": "Panyadi|Panyadee",
	"อยู่สุข": "Yusuk|Yoosook", "เอี่ยมสะอาด": "Iamsaat|Eiamsa-ard", "แซ่ตั้ง": "Saetang|Sae-tang", "แซ่ลิ้ม": "Saelim|Sae-lim",
	"แซ่อึ้ง": "Saeueng|Sae-ung", "แซ่เฮ้ง": "Saeheng|Sae-heng", "แซ่โค้ว": "Saekhow|Sae-kow", "ทองอยู่": "Thongyu|Tongyoo",
	"สร้อยทอง": "Soithong|Soitong", "คำแก้ว": "Khamkaeo|Kamkaew", "คำดี": "Khamdi|Kamdee", "ศรีบุญเรือง": "Sibunrueang|Sriboonruang",
	"วงศ์คำ": "Wongkham|Wongkam", "กองแก้ว": "Kongkaeo|Kongkaew", "บุญช่วย": "Bunchuai|Boonchuay", "ศรีอ่อน": "Sion|Sri-on",
	"พวงมาลัย": "Phuangmalai|Puangmalai", "ทองเหลือง": "Thonglueang|Tongluang", "มีชัย": "Michai|Meechai", "ชัยศรี": "Chaisi|Chaisri",
	"บุญรอด": "Bunrot|Boonrod", "แย้มศรี": "Yaemsi|Yamsri", "ประทุมทอง": "Prathumthong|Pratumtong", "สังข์ทอง": "Sangthong|Sangtong",
	"เรืองศรี": "Rueangsi|Ruangsri", "ยอดดี": "Yotdi|Yoddee", "ไชยวงศ์": "Chaiwong", "ศรีนวล": "Sinuan|Srinuan",
	"บุตรดี": "Butdi|Bootdee", "โพธิ์ทอง": "Phothong|Potong", "จันทร์ดี": "Chandi|Jandee", "ดวงจันทร์": "Duangchan|Duangjan",
}

// Myanmar names, as Thai registers and work permits write them: a Burmese
// name has no family name, so its first word goes in the given name and the
// rest in the family name. Thai script after the Thai Labour Ministry's
// usual transcriptions; Latin as on Myanmar passports.
type mmName struct{ th, latin string }

var myanmarMale = []mmName{
	{"อ่อง", "Aung"}, {"จ่อ", "Kyaw"}, {"ซอ", "Zaw"}, {"มิน", "Min"}, {"ตุน", "Tun"}, {"โก", "Ko"}, {"หล่า", "Hla"},
	{"เมียว", "Myo"}, {"ตาน", "Than"}, {"วิน", "Win"}, {"เต็ง", "Thein"}, {"หน่าย", "Naing"}, {"โซ", "Soe"}, {"ทู", "Htoo"},
}

var myanmarFemale = []mmName{
	{"หนิ่น", "Hnin"}, {"ขิ่น", "Khin"}, {"ซู", "Su"}, {"เอ", "Aye"}, {"ตีดา", "Thida"}, {"นันดา", "Nandar"}, {"โม", "Moe"},
	{"ผิ่ว", "Phyu"}, {"ยิน", "Yin"}, {"ซิน", "Zin"}, {"เมียะ", "Mya"}, {"ตู", "Thu"}, {"เซ", "Sein"}, {"มา", "Ma"},
}

var myanmarSecond = []mmName{
	{"ลวิน", "Lwin"}, {"อู", "Oo"}, {"มิน", "Min"}, {"ตุน", "Tun"}, {"อ่อง", "Aung"}, {"ซอ", "Zaw"}, {"ไหว", "Wai"},
	{"เต็ง", "Thein"}, {"ชเว", "Shwe"}, {"จ่อ", "Kyaw"}, {"วิน", "Win"}, {"ทเว", "Htwe"}, {"หม่อง", "Maung"}, {"โซ", "Soe"},
}
