# Recall site: Citric-Sheep/window-seat window_seat/endpoint.py (upload), a FastAPI async endpoint that writes the uploaded bytes with a plain open()/write.
import uvicorn
from fastapi import FastAPI, File, UploadFile

app = FastAPI()


@app.post("/upload")
async def upload(file: UploadFile = File(...)):
    try:
        data = await file.read()
        with open(f"/tmp/window-seat/{file.filename}", 'wb') as out:  # recall: PAR601
            out.write(data)
    except Exception:
        return {"message": "There was an error uploading the file"}
    finally:
        await file.close()

    return {"message": f"Successfuly uploaded {file.filename}"}


if __name__ == '__main__':
    uvicorn.run(app, host='0.0.0.0', port=8000)
