/**
 * Small uploads for the CSV tests, built from Microsoft's "Min Required Attributes" sample (its
 * IDs and names): each file a list of lines, overridable one file at a time.
 */
export type UploadLines = Record<string, readonly string[]>;

export const minimalUpload: Readonly<UploadLines> = {
  "school.csv": ["SIS ID,Name", "10001,Contoso High School"],
  "section.csv": ["SIS ID,School SIS ID,Section Name", "11001,10001,Math - Algebra 1"],
  "student.csv": ["SIS ID,School SIS ID,Username", "13001,10001,OKlein"],
  "studentenrollment.csv": ["Section SIS ID,SIS ID", "11001,13001"],
  "teacher.csv": ["SIS ID,School SIS ID,Username", "14001,10001,CBeane"],
  "teacherroster.csv": ["Section SIS ID,SIS ID", "11001,14001"],
};

/** The minimal upload with some files replaced (or, given null, left out), as CRLF text. */
export function upload(overrides: Record<string, readonly string[] | null> = {}): Map<string, string> {
  const files = new Map<string, string>();
  for (const [name, lines] of Object.entries({ ...minimalUpload, ...overrides })) {
    if (lines !== null) files.set(name, `${lines.join("\r\n")}\r\n`);
  }
  return files;
}

/** `count` lines made by `line(i)` for i = 0 .. count-1. */
export function lines(count: number, line: (index: number) => string): string[] {
  return Array.from({ length: count }, (_, index) => line(index));
}
