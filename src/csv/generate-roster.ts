import { createSeededRandom, type SeededRandom } from "../random/seeded-random.js";
import { type Dialect, type RosterFileName, rosterFiles } from "./roster-files.js";
import { courses, firstNames, type Locale, lastNames, schoolPlaces, streets, uk, us } from "./roster-locales.js";
import { toCsv } from "./write-csv.js";

export interface GenerateRosterOptions {
  /** The same seed gives the same bytes. Default 1. */
  seed?: number | string;
  /** Default 2. */
  schools?: number;
  /** Default 4. */
  sectionsPerSchool?: number;
  /** Default 20. */
  studentsPerSchool?: number;
  /** Default 3. */
  teachersPerSchool?: number;
  /** Sections each student is enrolled in, within the student's school. Default 3. */
  sectionsPerStudent?: number;
  /** US headers (`SIS ID`) or the UK samples' (`DfE Number`, `ID`). Default US. */
  dialect?: Dialect;
}

/**
 * Where each kind of SIS ID starts: far apart, so that an id says what it names, and a school's
 * UK id has the seven digits of a DfE number.
 */
export const rosterIdBases = {
  school: 10_001,
  ukSchool: 8_814_001,
  principal: 90_001,
  teacher: 1_000_001,
  section: 2_000_001,
  student: 3_000_001,
} as const;
/** Teachers' state ids follow the students', this far on. */
const teacherStateIdOffset = 500_000_000;
/** A student's birthdate puts a leaver of the sync year at this age. */
const leavingAge = 18;

/** An account name from a person's name: letters only, accents dropped. */
const asciiLetters = (name: string) => name.normalize("NFD").replace(/[^A-Za-z]/g, "");

type Row = Record<string, string>;

/**
 * Builds the six files school by school, drawing every name, date and number from one seeded
 * random sequence: the order of the draws is the order of the bytes, so it must not change.
 */
class RosterBuilder {
  readonly rows: Record<RosterFileName, Row[]> = {
    "school.csv": [],
    "section.csv": [],
    "student.csv": [],
    "studentenrollment.csv": [],
    "teacher.csv": [],
    "teacherroster.csv": [],
  };
  private readonly random: SeededRandom;
  private readonly locale: Locale;
  private readonly nextSuffix = new Map<string, number>();
  private sectionCount = 0;
  private studentCount = 0;
  private teacherCount = 0;

  constructor(private readonly settings: Required<GenerateRosterOptions>) {
    this.random = createSeededRandom(settings.seed);
    this.locale = settings.dialect === "UK" ? uk : us;
  }

  /** Account names are unique across students and teachers, in any letter case, as UPNs are. */
  private username(base: string): string {
    // Bases are letters only, so a numbered name never meets another base's.
    const suffix = this.nextSuffix.get(base.toLowerCase()) ?? 1;
    this.nextSuffix.set(base.toLowerCase(), suffix + 1);
    return suffix === 1 ? base : `${base}${suffix}`;
  }

  private person(withMiddleName: boolean) {
    return {
      first: this.random.pick(firstNames),
      last: this.random.pick(lastNames),
      // About half the students have a middle name, as in life. Every teacher has one: the service's
      // defaults sync the teachers' Middle Name, and a generated set verifies without a warning.
      middle: withMiddleName || this.random.next() < 0.5 ? this.random.pick(firstNames) : "",
    };
  }

  private address(): string {
    return `${this.random.between(1, 9999)} ${this.random.pick(streets)}`;
  }

  private coordinate(center: number): string {
    return (center + (this.random.next() - 0.5) / 20).toFixed(6);
  }

  addSchool(school: number): void {
    const { locale } = this;
    const schoolId = String((this.settings.dialect === "UK" ? rosterIdBases.ukSchool : rosterIdBases.school) + school);
    const place = locale.places[school % locale.places.length] ?? us.places[0];
    if (!place) throw new Error("a locale needs places");
    const cycle = Math.floor(school / schoolPlaces.length);
    const principal = this.person(false);
    this.rows["school.csv"].push({
      "SIS ID": schoolId,
      Name: `${schoolPlaces[school % schoolPlaces.length]} ${locale.schoolKind}${cycle > 0 ? ` ${cycle + 1}` : ""}`,
      "School Number": String(school + 1),
      "School NCES_ID": locale.schoolNcesId(school),
      "State ID": locale.schoolStateId(school),
      "Grade Low": String(locale.grades[0]),
      "Grade High": String(locale.grades[1]),
      // Not a reference (reference §5): Microsoft's own sample names principals absent from teacher.csv.
      "Principal SIS ID": String(rosterIdBases.principal + school),
      "Principal Name": `${principal.first} ${principal.last}`,
      "Principal Secondary Email": `principal${school + 1}@example.org`,
      Address: this.address(),
      City: place.city,
      State: place.region,
      Country: locale.country,
      Zip: place.postalCode(this.random),
      Phone: locale.phone(this.random),
      Zone: String((school % 4) + 1),
    });
    const sectionIds = this.addSections(schoolId);
    const teacherIds = this.addTeachers(schoolId);
    sectionIds.forEach((sectionId, index) => {
      const teacherId = teacherIds[index % Math.max(teacherIds.length, 1)];
      if (teacherId) this.rows["teacherroster.csv"].push({ "Section SIS ID": sectionId, "SIS ID": teacherId });
    });
    this.addStudents(schoolId, place, sectionIds);
  }

  private addSections(schoolId: string): string[] {
    const sectionIds: string[] = [];
    for (let index = 0; index < this.settings.sectionsPerSchool; index += 1) {
      const course = courses[index % courses.length] ?? { subject: "Math", name: "Algebra 1" };
      const period = Math.floor(index / courses.length) + 1;
      const courseNumber = String(((index % courses.length) + 1) * 100 + 1);
      const id = String(rosterIdBases.section + this.sectionCount);
      this.sectionCount += 1;
      sectionIds.push(id);
      this.rows["section.csv"].push({
        "SIS ID": id,
        "School SIS ID": schoolId,
        "Section Name": `${course.subject} - ${course.name}${period > 1 ? ` (Period ${period})` : ""}`,
        "Section Number": `${courseNumber}-${period}`,
        "Term SIS ID": "SY2526",
        "Term Name": "2025-2026",
        "Term StartDate": this.locale.date(...this.locale.termStart),
        "Term EndDate": this.locale.date(...this.locale.termEnd),
        "Course SIS ID": `${course.subject.toUpperCase().slice(0, 4)}${courseNumber}`,
        "Course Name": `${course.subject} ${courseNumber}`,
        "Course Number": courseNumber,
        "Course Description": `${course.name}, full year`,
        "Course Subject": course.subject,
        Periods: String(((index + period) % 7) + 1),
        Status: "Active",
      });
    }
    return sectionIds;
  }

  private addTeachers(schoolId: string): string[] {
    const teacherIds: string[] = [];
    for (let index = 0; index < this.settings.teachersPerSchool; index += 1) {
      const id = String(rosterIdBases.teacher + this.teacherCount);
      this.teacherCount += 1;
      teacherIds.push(id);
      const name = this.person(true);
      const account = this.username(`${asciiLetters(name.first)}.${asciiLetters(name.last)}`);
      this.rows["teacher.csv"].push({
        "SIS ID": id,
        "School SIS ID": schoolId,
        "First Name": name.first,
        "Last Name": name.last,
        Username: account,
        "State ID": this.locale.personStateId(teacherStateIdOffset + this.teacherCount),
        "Teacher Number": `T${String(this.teacherCount).padStart(5, "0")}`,
        Status: "Active",
        "Middle Name": name.middle,
        "Secondary Email": `${account.toLowerCase()}@example.net`,
        Title: this.random.pick(["Teacher", "Teacher", "Head of Department", "Lead Teacher"]),
        Qualification: this.random.pick(this.locale.qualifications),
      });
    }
    return teacherIds;
  }

  private addStudents(schoolId: string, place: Locale["places"][number], sectionIds: readonly string[]): void {
    const { locale, random } = this;
    const [lowGrade, highGrade] = locale.grades;
    for (let index = 0; index < this.settings.studentsPerSchool; index += 1) {
      const id = String(rosterIdBases.student + this.studentCount);
      this.studentCount += 1;
      const name = this.person(false);
      const account = this.username(`${asciiLetters(name.first).slice(0, 1)}${asciiLetters(name.last)}`);
      const grade = random.between(lowGrade, highGrade);
      const leaving = locale.leavingYear + (highGrade - grade);
      const home = this.address();
      const postalCode = place.postalCode(random);
      const latitude = this.coordinate(place.latitude);
      const longitude = this.coordinate(place.longitude);
      const mailing = { Address: home, City: place.city, State: place.region, Zip: postalCode };
      this.rows["student.csv"].push({
        "SIS ID": id,
        "School SIS ID": schoolId,
        "First Name": name.first,
        "Last Name": name.last,
        Username: account,
        "State ID": locale.personStateId(this.studentCount),
        "Secondary Email": `guardian.${account.toLowerCase()}@example.org`,
        "Student Number": String(this.studentCount),
        "Middle Name": name.middle,
        Grade: String(grade),
        Status: "Active",
        ...prefixed("Mailing", mailing, latitude, longitude, locale.country),
        ...prefixed("Residence", mailing, latitude, longitude, locale.country),
        Gender: random.pick(["F", "M"]),
        Birthdate: locale.date(leaving - leavingAge, random.between(1, 12), random.between(1, 28)),
        "ELL Status": random.next() < 0.1 ? "Yes" : "No",
        // Left empty, as in Microsoft's samples: the codes it takes are not documented.
        FederalRace: "",
        "Graduation Year": String(leaving),
      });
      for (const pick of random.sample(sectionIds.length, this.settings.sectionsPerStudent)) {
        const sectionId = sectionIds[pick];
        if (sectionId) this.rows["studentenrollment.csv"].push({ "Section SIS ID": sectionId, "SIS ID": id });
      }
    }
  }

  /** The six files, each with the header its dialect writes. */
  files(): Map<string, string> {
    const files = new Map<string, string>();
    const written = rosterFiles(this.settings.dialect);
    const spelled = rosterFiles("US");
    for (const name of Object.keys(this.rows) as RosterFileName[]) {
      // Password is left out: a fixture has no business carrying anything that looks like a secret.
      const columns = spelled[name].columns.filter((column) => column !== "Password");
      const header = columns.map((column) => written[name].columns[spelled[name].columns.indexOf(column)] ?? column);
      const records = this.rows[name].map((row) => columns.map((column) => row[column] ?? ""));
      files.set(name, toCsv([header, ...records]));
    }
    return files;
  }
}

/** A student's mailing or residence address columns, one address for both. */
function prefixed(
  prefix: "Mailing" | "Residence",
  address: { Address: string; City: string; State: string; Zip: string },
  latitude: string,
  longitude: string,
  country: string,
): Row {
  return {
    [`${prefix} Address`]: address.Address,
    [`${prefix} City`]: address.City,
    [`${prefix} State`]: address.State,
    [`${prefix} Zip`]: address.Zip,
    [`${prefix} Latitude`]: latitude,
    [`${prefix} Longitude`]: longitude,
    [`${prefix} Country`]: country,
  };
}

/**
 * A clean, realistic set of the six CSV files (file name → text: CRLF, no BOM, headers in the
 * order of Microsoft's fullest samples, without `Password`), referentially complete, so
 * `verifyRoster` gives no message. The same options give the same bytes.
 */
export function generateRoster(options: GenerateRosterOptions = {}): Map<string, string> {
  const schools = wholeNumber("schools", options.schools ?? 2);
  const sectionsPerSchool = wholeNumber("sectionsPerSchool", options.sectionsPerSchool ?? 4);
  const builder = new RosterBuilder({
    seed: options.seed ?? 1,
    schools,
    sectionsPerSchool,
    studentsPerSchool: wholeNumber("studentsPerSchool", options.studentsPerSchool ?? 20),
    teachersPerSchool: wholeNumber("teachersPerSchool", options.teachersPerSchool ?? 3),
    sectionsPerStudent: Math.min(wholeNumber("sectionsPerStudent", options.sectionsPerStudent ?? 3), sectionsPerSchool),
    dialect: options.dialect ?? "US",
  });
  for (let school = 0; school < schools; school += 1) builder.addSchool(school);
  return builder.files();
}

function wholeNumber(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number, got ${value}`);
  return value;
}
