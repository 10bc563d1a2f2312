// Incident photos, made small on the tablet before they are stored: decoded, scaled so the
// longer side is at most MAX_SIDE pixels, and re-encoded as JPEG. A 12-megapixel camera photo
// becomes a few hundred kilobytes, so three fit in the outbox and go over a weak link.
export const MAX_PHOTOS = 3;
const MAX_SIDE = 1600;
const QUALITY = 0.8;

function readAsDataURL(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

// createImageBitmap where there is one; else an <img> from a data: URL (the CSP admits data:
// images, not blob: ones).
async function decode(file) {
  if (window.createImageBitmap) return createImageBitmap(file, { imageOrientation: "from-image" });
  const image = new Image();
  image.src = await readAsDataURL(file);
  await image.decode();
  return image;
}

// {filename, content_type, data (base64, no data: prefix), width, height}
export async function shrink(file) {
  const image = await decode(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(image.width, image.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(image.width * scale));
  canvas.height = Math.max(1, Math.round(image.height * scale));
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff"; // transparent parts of a PNG become white, not black
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  if (image.close) image.close();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", QUALITY));
  if (!blob) throw new Error("the photo could not be encoded");
  const url = await readAsDataURL(blob);
  const base = (file.name || "photo").replace(/\.[^.]*$/, "") || "photo";
  return {
    filename: `${base}.jpg`,
    content_type: "image/jpeg",
    data: url.slice(url.indexOf(",") + 1),
    width: canvas.width,
    height: canvas.height,
  };
}

export const thumbnailSrc = (photo) => `data:${photo.content_type};base64,${photo.data}`;
